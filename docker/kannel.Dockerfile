# Kannel (the SMS gateway) from Debian 12's own package: bearerbox talks to the operator
# (SMPP) or a GSM modem, smsbox takes the bot's pages over HTTP. Its configuration is
# rendered by `mchlink render-config` into deploy/kannel/ (owned by uid 997, mode 0600)
# and mounted read-only. The user exists before the package, so its uid is fixed.
FROM debian:12.12-slim
RUN groupadd --system --gid 997 kannel \
 && useradd --system --uid 997 --gid kannel --home-dir /usr/lib/kannel --shell /usr/sbin/nologin kannel \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends kannel \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o kannel -g kannel -m 0700 /var/lib/kannel /var/lib/kannel/spool
USER kannel

# Kannel (the SMS gateway) from Debian 12's own package: bearerbox talks to the operator
# (SMPP) or a GSM modem, smsbox takes the bot's pages over HTTP. Its configuration is
# rendered by `mchlink render-config` into deploy/kannel/ and mounted read-only.
FROM debian:12.12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends kannel \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o kannel -g kannel /var/lib/kannel/spool
USER kannel

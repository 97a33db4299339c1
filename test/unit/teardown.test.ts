import { describe, expect, it } from "vitest";
import { stopInStages } from "../support/teardown.ts";

describe("integration teardown", () => {
  it("stops every later part when one fails to stop, in stage order, and reports the failure", async () => {
    const stopped: string[] = [];
    const stop = (name: string) => async () => void stopped.push(name);
    const fail = async () => {
      throw new Error("client would not stop");
    };
    await expect(stopInStages([stop("nurse"), fail, undefined], [stop("bot")], [stop("kannel"), stop("synapse")])).rejects.toThrow("client would not stop");
    expect(stopped).toEqual(["nurse", "bot", "kannel", "synapse"]);
  });

  it("reports every failure when several parts fail", async () => {
    const fail = (m: string) => () => {
      throw new Error(m);
    };
    const err = await stopInStages([fail("a")], [fail("b")]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(["a", "b"]);
  });
});

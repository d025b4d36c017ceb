import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parsePins, readPins } from "../../src/tools/pins.js";
import { moduleVersionFromBuildInfo } from "../../src/tools/version.js";

describe("parsePins", () => {
  it("reads NAME_VERSION lines into tool names", () => {
    expect(parsePins("# c\nHELM_VERSION=v4.3.1\n\nHELM3_VERSION=v3.22.0\n")).toEqual({
      helm: "v4.3.1",
      helm3: "v3.22.0",
    });
  });
  it("names the line of a malformed entry", () => {
    expect(() => parsePins("HELM_VERSION=v1\nhelm=2\n")).toThrow(InputError);
    expect(() => parsePins("HELM_VERSION=v1\nhelm=2\n")).toThrow(
      /:2: expected NAME_VERSION=version/,
    );
  });
});

describe("readPins", () => {
  it("refuses a directory that is not the project with an input error naming the file", () => {
    expect(() => readPins("/nonexistent-shoppe-root")).toThrow(InputError);
    expect(() => readPins("/nonexistent-shoppe-root")).toThrow(
      /\/nonexistent-shoppe-root\/scripts\/tool-versions\.env: ENOENT; run shoppe in the Coffea Shoppe project root/,
    );
  });
});

describe("moduleVersionFromBuildInfo", () => {
  const info = [
    "/x/helm: go1.26.8",
    "\tpath\thelm.sh/helm/v4/cmd/helm",
    "\tmod\thelm.sh/helm/v4\tv4.3.1\th1:abc=",
    "\tdep\tk8s.io/kubernetes\tv1.35.4\th1:def=",
  ].join("\n");
  it("finds the main module and dependencies", () => {
    expect(moduleVersionFromBuildInfo(info, "helm.sh/helm/v4")).toBe("v4.3.1");
    expect(moduleVersionFromBuildInfo(info, "k8s.io/kubernetes")).toBe("v1.35.4");
    expect(moduleVersionFromBuildInfo(info, "helm.sh/helm/v3")).toBeUndefined();
  });
});

/**
 * The pieces of a diagnostics bundle: the redaction pass over objects (Secret values, the
 * last-applied copy, secret-looking env values, then the same values wherever they appear),
 * the tar.gz writer (read back by our reader and by the system tar), and SUMMARY.md naming
 * the component that failed first.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkNewFile, writeNewFile } from "../../src/e2e/bundle/output.js";
import { MASK, redactObject } from "../../src/e2e/bundle/redact.js";
import { diagnose, firstFailure, summaryMarkdown } from "../../src/e2e/bundle/summary.js";
import { tarGz } from "../../src/e2e/bundle/tar.js";
import { InputError } from "../../src/errors.js";
import { Redactor } from "../../src/exec/redact.js";
import { readTarGz } from "../../src/helm/tar-gz.js";

const tmp = mkdtempSync(path.join(tmpdir(), "shoppe-bundle-unit-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TOKEN = "s3cr3t-token-0123456789";

describe("redaction of objects", () => {
  it("masks Secret values and registers them, so they are masked everywhere else too", () => {
    const red = new Redactor();
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "creds",
        annotations: {
          "kubectl.kubernetes.io/last-applied-configuration": `{"stringData":{"token":"${TOKEN}"}}`,
        },
        managedFields: [{ manager: "kubectl" }],
      },
      data: { token: Buffer.from(TOKEN).toString("base64") },
      stringData: { password: "hunter2-hunter2" },
    };
    const out = redactObject(secret, red) as typeof secret;
    expect(out.data).toEqual({ token: MASK });
    expect(out.stringData).toEqual({ password: MASK });
    expect(out.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toBe(MASK);
    expect(out.metadata).not.toHaveProperty("managedFields");
    const log = `connecting with ${TOKEN} (${Buffer.from(TOKEN).toString("base64")}) as hunter2-hunter2`;
    expect(red.redact(log)).toBe("connecting with *** (***) as ***");
  });

  it("masks env values whose names look secret, keeps the others, and writes dates as ISO text", () => {
    const red = new Redactor();
    const deploy = {
      kind: "Deployment",
      metadata: { name: "web", creationTimestamp: new Date("2026-12-01T12:00:00Z") },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "web",
                env: [
                  { name: "DB_PASSWORD", value: "pa55-word-xyz" },
                  { name: "GITHUB_TOKEN", value: "gh-token-value" },
                  { name: "LOG_LEVEL", value: "debug" },
                  { name: "API_KEY", valueFrom: { secretKeyRef: { name: "k", key: "k" } } },
                ],
              },
            ],
          },
        },
      },
    };
    const out = JSON.stringify(redactObject(deploy, red));
    expect(out).not.toContain("pa55-word-xyz");
    expect(out).not.toContain("gh-token-value");
    expect(out).toContain('"LOG_LEVEL","value":"debug"');
    expect(out).toContain('"secretKeyRef"');
    expect(out).toContain('"creationTimestamp":"2026-12-01T12:00:00.000Z"');
    expect(red.redact("password is pa55-word-xyz")).toBe("password is ***");
  });
});

describe("tar.gz writer", () => {
  const long = `namespaces/${"n".repeat(60)}/objects/apps/Deployment/${"d".repeat(80)}.yaml`;
  const files: [string, string][] = [
    ["b/SUMMARY.md", "# hi\n"],
    [long, "kind: Deployment\n"],
    ["b/empty", ""],
  ];

  it("round-trips through our reader, names longer than ustar holds included", async () => {
    const archive = await tarGz(files, new Date("2026-12-01T12:00:00Z"));
    const read = await readTarGz(archive);
    expect([...read.keys()]).toEqual(files.map(([n]) => n));
    expect(read.get(long)?.toString()).toBe("kind: Deployment\n");
  });

  it("is deterministic and readable by the system tar", async () => {
    const a = await tarGz(files, new Date("2026-12-01T12:00:00Z"));
    expect((await tarGz(files, new Date("2026-12-01T12:00:00Z"))).equals(a)).toBe(true);
    const file = path.join(tmp, "b.tar.gz");
    writeFileSync(file, a);
    expect(
      execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).split("\n").filter(Boolean),
    ).toEqual(files.map(([n]) => n));
  });
});

describe("SUMMARY.md", () => {
  const pods = [
    {
      metadata: {
        name: "store-0",
        ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "store", uid: "u" }],
      },
      status: {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            message: "0/1 nodes are available: 1 Insufficient memory.",
            lastTransitionTime: new Date("2026-12-01T12:00:09Z"),
          },
        ],
      },
    },
    {
      metadata: {
        name: "web-1",
        labels: { "pod-template-hash": "1" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u" }],
      },
      status: {
        phase: "Pending",
        containerStatuses: [
          {
            name: "web",
            image: "example.org/web:9",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ErrImagePull" } },
          },
        ],
      },
    },
  ];
  const events = [
    {
      type: "Warning",
      reason: "Failed",
      message: "pull failed",
      firstTimestamp: new Date("2026-12-01T12:00:03Z"),
      metadata: {},
      involvedObject: { kind: "Pod", name: "web-1" },
    },
  ];
  const componentOf = (_k: string, name: string) => (name.startsWith("web") ? "web" : "store");

  it("lists every problem earliest first and names the first failure from the cluster alone", () => {
    const findings = diagnose(pods, [], events, componentOf);
    expect(findings.map((f) => [f.component, f.since])).toEqual([
      ["web", "2026-12-01T12:00:03.000Z"],
      ["store", "2026-12-01T12:00:09.000Z"],
    ]);
    expect(firstFailure(findings)).toMatchObject({
      component: "web",
      why: "container web: ErrImagePull (image example.org/web:9)",
    });
  });

  it("prefers the run's own timeline, and says when nothing failed", () => {
    const findings = diagnose(pods, [], events, componentOf);
    const md = summaryMarkdown({
      title: "run",
      about: [],
      findings,
      failed: [
        { id: "store", reason: "not ready after 8s", firstProblemAt: "2026-12-01T11:59:00.000Z" },
        { id: "web", reason: "not ready after 8s", firstProblemAt: "2026-12-01T12:00:03.000Z" },
      ],
      notes: ["pod logs do not exist"],
      files: ["SUMMARY.md"],
    });
    expect(md).toContain(
      "**store** failed first: Pending, not scheduled: 0/1 nodes are available: 1 Insufficient memory. (Pod/store-0, since 2026-12-01T11:59:00.000Z)",
    );
    expect(
      summaryMarkdown({ title: "t", about: [], findings: [], notes: [], files: [] }),
    ).toContain("No component failed");
  });
});

describe("the archive file", () => {
  const archive = Buffer.from("archive bytes");

  it("is refused before collecting when anything is at its path or its directory is missing", async () => {
    const dir = mkdtempSync(path.join(tmp, "out-"));
    const file = path.join(dir, "old.tar.gz");
    writeFileSync(file, "kept");
    const link = path.join(dir, "link.tar.gz");
    symlinkSync(path.join(dir, "elsewhere.tar.gz"), link);
    await expect(checkNewFile(file, "old.tar.gz")).rejects.toThrow(
      "failed to write old.tar.gz: it exists; name another file with -o",
    );
    await expect(checkNewFile(link, "link.tar.gz")).rejects.toThrow(
      "failed to write link.tar.gz: it exists (a symbolic link); name another file with -o",
    );
    await expect(checkNewFile(path.join(dir, "no/b.tar.gz"), "no/b.tar.gz")).rejects.toThrow(
      "failed to write no/b.tar.gz: its directory no does not exist; create it or name another file with -o",
    );
    await expect(checkNewFile(path.join(dir, "new.tar.gz"), "new.tar.gz")).resolves.toBe(undefined);
  });

  it("never replaces an entry that appeared while collecting, nor writes through a link", async () => {
    const dir = mkdtempSync(path.join(tmp, "out-"));
    const file = path.join(dir, "raced.tar.gz");
    writeFileSync(file, "kept");
    await expect(writeNewFile(file, "raced.tar.gz", archive)).rejects.toThrow(InputError);
    expect(readFileSync(file, "utf8")).toBe("kept");
    const target = path.join(dir, "target");
    const link = path.join(dir, "link.tar.gz");
    symlinkSync(target, link);
    await expect(writeNewFile(link, "link.tar.gz", archive)).rejects.toThrow(
      "failed to write link.tar.gz: it exists; name another file with -o",
    );
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["link.tar.gz", "raced.tar.gz"]);
  });

  it("writes a new file whole, readable by its owner only, leaving no scratch file", async () => {
    const dir = mkdtempSync(path.join(tmp, "out-"));
    const file = path.join(dir, "new.tar.gz");
    await writeNewFile(file, "new.tar.gz", archive);
    expect(readFileSync(file)).toEqual(archive);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["new.tar.gz"]);
  });
});

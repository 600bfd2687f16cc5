// The Java SDK's vectors integration tests (src/it/java/com/aliyun/sdk/service/oss2/vectors/):
// compiled outside the isolated namespace, run inside it with JUnit 4's console runner.
//
// Build, with Maven where its repository is reachable: `mvn test-compile` (the SDK's pom adds
// src/it/java as a test source) and `dependency:build-classpath`. Offline (`--jars`, or when Maven
// fails and the system has Debian's Java packages): `javac` of the SDK's sources and of
// src/it/java/…/TestBase.java + the vectors tests, against the jars of /usr/share/java (jackson
// 2.14, httpclient5 5.2.1, httpclient 4.5, junit4, assertj) after any `--jars` given (Debian ships
// no jackson-datatype-jsr310: it must be given; a newer httpclient5 given replaces Debian's). Run: `java org.junit.runner.JUnitCore` with the
// test classes; the test names come from the sources (`@Test` methods, `@Ignore` ones skipped).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { run } from './exec.ts';
import { oneLine, parseJunit4Console, type SdkTestResult } from './results.ts';
import type { Scratch } from './scratch.ts';

export const JAVA_TEST_DIR = 'src/it/java/com/aliyun/sdk/service/oss2/vectors';
const JAVA_TEST_PACKAGE = 'com.aliyun.sdk.service.oss2.vectors';
export const SYSTEM_JARS = '/usr/share/java';
/** The system jars the offline build uses, by file name in SYSTEM_JARS (Debian's packages in brackets). */
const OFFLINE_JARS = [
  'jackson-annotations', 'jackson-core', 'jackson-databind', // libjackson2-databind-java
  'jackson-dataformat-xml', 'stax2-api', // libjackson2-dataformat-xml-java
  'httpclient5', 'httpcore5', 'httpcore5-h2', // libhttpclient5-java
  'httpclient', 'httpcore', 'commons-logging', // libhttpclient-java
  'reactive-streams', 'slf4j-api', // libreactive-streams-java, libslf4j-java
  'junit4', 'hamcrest-core', 'assertj-core', // junit4, libassertj-core-java
];

/** Left out of the compilation as the SDK's pom leaves them out (Java 11+ only code). */
const POM_EXCLUDED = /\/oss2\/(transport\/jdkclient|paginator\/flow)\//;

/** The vectors test classes (files ending in Test.java) and their `@Test` methods. */
export function javaIntegrationTests(root: string): { classes: string[]; tests: string[]; ignored: string[] } {
  const dir = join(root, JAVA_TEST_DIR);
  const classes: string[] = [];
  const tests: string[] = [];
  const ignored: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /Test\.java$/.test(f)).sort()) {
    const cls = basename(file, '.java');
    const src = readFileSync(join(dir, file), 'utf8');
    // A method's annotation block (in any order), then `void name(`.
    const found = [...src.matchAll(/((?:@\w+(?:\([^)]*\))?\s*)+)(?:public\s+)?void\s+(\w+)\s*\(/g)].filter((m) => /@Test\b/.test(m[1]!));
    if (found.length === 0) continue;
    classes.push(`${JAVA_TEST_PACKAGE}.${cls}`);
    for (const m of found) {
      tests.push(`${cls}.${m[2]}`);
      if (/@Ignore\b/.test(m[1]!)) ignored.push(`${cls}.${m[2]}`);
    }
  }
  return { classes, tests, ignored };
}

export interface JavaBuild { classpath?: string; error?: string; how: 'maven' | 'javac'; note: string }

function javaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...javaFiles(join(dir, e.name)));
    else if (e.name.endsWith('.java')) out.push(join(dir, e.name));
  }
  return out;
}

/** Compiles the SDK and its vectors tests; `how` undefined: Maven first, javac on system jars when it fails. */
export async function buildJavaTests(o: { root: string; mvn: string; javac: string; how?: 'maven' | 'javac'; jars: readonly string[]; env: NodeJS.ProcessEnv; scratch: Scratch; timeoutMs: number }): Promise<JavaBuild> {
  const opts = { cwd: o.root, env: o.env, timeoutMs: o.timeoutMs };
  let mavenFailure = '';
  if (o.how !== 'javac') {
    const cpFile = join(o.scratch.dir, 'maven.classpath');
    const r = await run(o.mvn, ['-B', '-q', '-DskipTests', '-Dcheckstyle.skip', '-Djacoco.skip', 'test-compile', 'dependency:build-classpath', '-Dmdep.includeScope=test', `-Dmdep.outputFile=${cpFile}`], opts).catch((e: Error) => ({ code: 127, stdout: '', stderr: e.message }));
    if (r.code === 0 && existsSync(cpFile)) {
      return { how: 'maven', note: 'built with Maven', classpath: [join(o.root, 'target/test-classes'), join(o.root, 'target/classes'), readFileSync(cpFile, 'utf8').trim()].join(':') };
    }
    // eslint-disable-next-line no-control-regex
    mavenFailure = oneLine((r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => /ERROR/.test(l)) ?? (r.stderr || `exit ${r.code}`));
    if (o.how === 'maven') return { how: 'maven', note: 'built with Maven', error: mavenFailure };
  }
  const system = OFFLINE_JARS.map((j) => join(SYSTEM_JARS, `${j}.jar`));
  const absent = system.filter((p) => !existsSync(p));
  // Jars given come first: they stand in for a system jar of the same library that is too old.
  const cp = [...o.jars, ...system.filter((p) => existsSync(p))].join(':');
  const note = `${mavenFailure ? `Maven failed (${mavenFailure}); ` : ''}compiled with javac against ${SYSTEM_JARS}${o.jars.length ? ` and ${o.jars.join(', ')}` : ''}${absent.length ? ` (absent: ${absent.map((p) => basename(p)).join(', ')})` : ''}`;
  const classes = join(o.scratch.dir, 'classes');
  const sources = [...javaFiles(join(o.root, 'src/main/java')).filter((f) => !POM_EXCLUDED.test(f)), join(o.root, 'src/it/java/com/aliyun/sdk/service/oss2/TestBase.java'), ...javaFiles(join(o.root, JAVA_TEST_DIR))];
  const argfile = o.scratch.write('javac.args', sources.map((s) => `"${s}"`).join('\n'));
  const r = await run(o.javac, ['-nowarn', '-encoding', 'UTF-8', '-proc:none', '-d', classes, '-cp', cp, `@${argfile}`], opts).catch((e: Error) => ({ code: 127, stdout: '', stderr: e.message }));
  if (r.code !== 0) return { how: 'javac', note, error: javacCause(r.stderr || r.stdout) || `exit ${r.code}` };
  return { how: 'javac', note, classpath: `${classes}:${cp}` };
}

/** The first compiler error with its symbol line (`cannot find symbol … symbol: class X`) and how many there were. */
function javacCause(out: string): string {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => /: error: /.test(l));
  if (at < 0) return oneLine(out);
  const symbol = lines.slice(at + 1, at + 5).find((l) => /^\s*symbol:/.test(l));
  const count = /^(\d+) errors?$/m.exec(out)?.[1];
  return oneLine(`${lines[at]!.replace(/^.*\/src\//, 'src/')}${symbol ? ` (${symbol.trim()})` : ''}${count ? `; ${count} errors` : ''}`);
}

/** Runs the vectors test classes with JUnit 4's console runner. */
export async function runJavaTests(o: { root: string; java: string; build: JavaBuild; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<SdkTestResult[]> {
  const { classes, tests, ignored } = javaIntegrationTests(o.root);
  if (!o.build.classpath) return tests.map((name) => ({ name, status: 'error', why: `the tests did not build: ${o.build.error ?? 'unknown'}` }));
  const r = await run(o.java, ['-cp', o.build.classpath, 'org.junit.runner.JUnitCore', ...classes], { cwd: o.root, env: o.env, timeoutMs: o.timeoutMs });
  return parseJunit4Console(`${r.stdout}\n${r.stderr}`, tests, ignored);
}

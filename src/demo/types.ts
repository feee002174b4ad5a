import type { IncomingHttpHeaders } from 'node:http';
import type { Profile } from '../config/types.ts';
import type { CauseId } from '../core/causes.ts';
import type { ProfileHints } from '../core/plugin.ts';
import type { DemoAuthServer } from './oauth.ts';
import type { DemoIam } from './aws.ts';

/**
 * A demo scenario is data: what it is called and says about itself, how the demo cloud answers
 * (its server half), what the client sends (a config profile or a curl command), the cause a
 * diagnosis must find and the keys that fix it on screen. The CLI, the picker, `--list`,
 * `--check` and the tests all read the same objects.
 */

/** A request as the demo cloud received it, with the scenario's mount point removed from the path. */
export interface DemoRequest {
  method: string;
  /** Path and query after `/<scenario>`, e.g. `/v1/me?x=1`. */
  path: string;
  /** The path and query exactly as received, mount point included (what a SigV4 client signed). */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** True when the request came through the demo's forward proxy (it says so in `Via`). */
  viaProxy: boolean;
}

export interface DemoReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What every scenario's server half can use: the shared services of the demo cloud. */
export interface CloudContext {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The server's clock (the real time: in the clock scenario it is the client that is off). */
  now(): Date;
  /** The demo authorization server (OAuth 2.0 token, device and introspection endpoints). */
  oauth: DemoAuthServer;
  /** The demo IAM: principals, their keys and what they are allowed. */
  iam: DemoIam;
}

/** What the client half of a scenario gets: where to write credential files, and the cloud. */
export interface ClientContext extends CloudContext {
  /** The demo's temp folder (config file and credential files live here). */
  dir: string;
  /** Origin of the demo's forward proxy, `http://127.0.0.1:PORT`. */
  proxyOrigin: string;
  /** The scenario's own URL prefix: `http://127.0.0.1:PORT/<name>`. */
  base: string;
  /**
   * Writes a credential file (mode 0600) under the scenario's folder and returns its absolute
   * path. The content is written exactly as given: a trailing newline stays.
   */
  writeSecret(file: string, content: string): Promise<string>;
}

/** The request the client sends: a profile of the demo's config file, or a pasted curl command. */
export type DemoClient =
  | {
      kind: 'profile';
      profile: Profile;
      /**
       * What the rules should know about the API beyond the profile — what a provider pack would
       * know from a real host name (which header the API reads its key from). Merged over the
       * profile's hints.
       */
      hints?: Partial<ProfileHints>;
      /** The client's clock is this far off (ms, negative = behind): the Engine signs with it. */
      clockOffsetMs?: number;
    }
  | {
      kind: 'curl';
      /** A whole curl command, `$VARIABLES` allowed (from `env`). */
      command: string;
      env?: Record<string, string>;
      hints?: Partial<ProfileHints>;
      clockOffsetMs?: number;
    };

export interface ScenarioFix {
  /** The keys, as the user presses them: `r`, `e Enter`, `p`. */
  keys: string;
  /** What the keys do, in a sentence. */
  how: string;
  /** Another way to the same fix, not a next step. @default false */
  or?: boolean;
}

export interface Scenario<State = unknown> {
  /** Stable id, used in `--scenario NAME` and as the profile and URL prefix. */
  name: string;
  /** Short title for the picker list. */
  title: string;
  /** One line: what fails. */
  summary: string;
  /** A few sentences: the story, and what happens in real life (shown under the picker). */
  story: string[];
  /** The provider behaviour the server half follows, with the documentation it comes from. */
  modelledOn: string;
  /** What `check` must find. */
  intended: {
    cause: CauseId;
    /** Extra `check` flags the intended cause needs (the proxy probe is a second request). */
    checkFlags?: string[];
  };
  /** The way to fix it in the TUI. */
  fix: ScenarioFix[];
  /** Fresh server-side state; called when the scenario is (re)opened. */
  setup(cloud: CloudContext): State | Promise<State>;
  /** The server half: answers a request under `/<name>/`. */
  handle(request: DemoRequest, state: State, cloud: CloudContext): DemoReply | Promise<DemoReply>;
  /** The client half: writes credential files, returns what the client sends. */
  client(ctx: ClientContext, state: State): DemoClient | Promise<DemoClient>;
}

/** A scenario of any state type, for lists. */
export type AnyScenario = Scenario<any>;

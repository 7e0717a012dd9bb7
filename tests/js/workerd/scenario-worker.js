// Runs one shared scenario (scenarios/*.mjs) inside workerd, named by ?name=, with a client
// made here in the isolate; answers { ok } or the failure.
import { BackupClient } from "zilliz-cloud-backup";
import { EmulatorControl } from "../harness/control.mjs";
import { scenarios } from "../scenarios/lifecycle.mjs";

export default {
  async fetch(request, env) {
    const name = new URL(request.url).searchParams.get("name");
    const found = scenarios.find(([n]) => n === name);
    if (!found) return Response.json({ ok: false, message: `no scenario ${name}` });
    const emu = new EmulatorControl(env.EMULATOR_URL, env.API_KEY);
    const client = new BackupClient({ token: env.API_KEY, baseUrl: env.EMULATOR_URL });
    try {
      await found[1]({ emu, client });
      return Response.json({ ok: true });
    } catch (e) {
      return Response.json({ ok: false, message: e.message, stack: e.stack });
    }
  },
};

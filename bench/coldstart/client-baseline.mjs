export { BaselineClient as Client } from "../baseline/client.mjs";

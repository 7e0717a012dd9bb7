export { BackupClient as Client } from "../../pkg/workerd.js";

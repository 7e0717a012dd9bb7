// Live progress: one card per followed job, a <progress> bar fed by the package's
// onProgress(job, { etaMs }), and "Stop watching", which aborts only the wait (the job goes on
// on the server, so the card offers to watch again).
import { clampPercent, formatEta, formatRelative } from "../format.js";
import { h, $, announce, timeEl } from "./dom.js";
import { showError } from "./error-box.js";

const STATUS_WORDS = {
  PENDING: "waiting to start",
  IN_PROGRESS: "in progress",
  SUCCESSFUL: "done",
  FAILED: "failed",
  CANCELING: "being cancelled",
  CREATING: "being created",
  AVAILABLE: "available",
};

let cardCount = 0;

export class JobList {
  /** @param {HTMLElement} root  @param {import("../api.js").Api} api  @param {() => void} onFinished */
  constructor(root, api, onFinished) {
    this.root = root;
    this.api = api;
    this.onFinished = onFinished;
  }

  /** Follows a job (backup, restore) to its end in a new card. */
  watchJob(jobId, title) {
    const card = new JobCard(this.root, title);
    this.#follow(card, jobId);
    return card;
  }

  /**
   * A create queued behind the cluster's running backup (`whenBusy: "wait"`): the card waits
   * without a percentage, then follows the new backup's job.
   */
  queueCreate(clusterId, request, title, runningBackupId) {
    const card = new JobCard(this.root, title);
    const start = () => {
      const controller = card.watching(start, "Stopping now cancels the queued backup: it has not been created yet.");
      card.waiting(`Queued: waiting for backup ${runningBackupId} to finish, then this backup is created.`);
      this.api.createBackup(clusterId, request, { whenBusy: "wait", signal: controller.signal }).then(
        (created) => {
          announce(`Backup ${created.backupName ?? created.backupId} created after the running one finished.`);
          this.onFinished();
          this.#followCreated(card, clusterId, created);
        },
        (err) => card.failed(err, false),
      );
    };
    start();
    return card;
  }

  /** After a create: the job, or the backup itself when the create was reconciled without a job id. */
  followCreated(clusterId, created, title) {
    const card = new JobCard(this.root, title);
    this.#followCreated(card, clusterId, created);
    return card;
  }

  #followCreated(card, clusterId, created) {
    if (created.jobId) {
      this.#follow(card, created.jobId);
      return;
    }
    card.setJob(null, created.backupId);
    const start = () => {
      const controller = card.watching(start);
      card.waiting(`Backup ${created.backupId} is being created (found after an unclear answer from the server; no job id to follow).`);
      this.api.waitForBackup(clusterId, created.backupId, { signal: controller.signal, onProgress: (b) => card.progressUnknown(b.status) })
        .then(() => this.#finished(card), (err) => card.failed(err, true));
    };
    start();
  }

  #follow(card, jobId) {
    card.setJob(jobId);
    const start = () => {
      const controller = card.watching(start);
      this.api.waitForJob(jobId, { signal: controller.signal, onProgress: (job, info) => card.progress(job, info) })
        .then((job) => this.#finished(card, job), (err) => card.failed(err, true));
    };
    start();
  }

  #finished(card, job) {
    card.succeeded(job);
    this.onFinished();
  }
}

class JobCard {
  constructor(root, title) {
    const id = `job-${++cardCount}`;
    this.titleId = `${id}-title`;
    this.bar = h("progress", {
      id: `${id}-bar`, max: 100, value: 0, "aria-labelledby": this.titleId,
      "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "aria-valuetext": "0%",
    });
    this.percent = h("span", { class: "job-percent" }, "0%");
    this.state = h("span", { class: "job-state" }, "starting");
    this.eta = h("span", { class: "job-eta" }); // CSS puts the " · " before it when not empty
    this.jobLine = h("p", { class: "job-id" });
    this.note = h("p", { class: "job-note" });
    this.error = h("div", { class: "job-error" });
    this.stopButton = h("button", { type: "button", class: "secondary" }, "Stop watching");
    this.againButton = h("button", { type: "button", hidden: true }, "Watch again");
    this.dismissButton = h("button", { type: "button", class: "secondary", hidden: true, onclick: () => this.el.remove() }, "Dismiss");
    this.el = h("article", { class: "job", id, "aria-labelledby": this.titleId },
      h("h3", { id: this.titleId }, title),
      this.jobLine,
      this.bar,
      h("p", { class: "job-line" }, this.percent, " · ", this.state, this.eta),
      this.note,
      this.error,
      h("p", { class: "actions" }, this.stopButton, this.againButton, this.dismissButton),
    );
    $(".empty", root)?.setAttribute("hidden", "");
    root.prepend(this.el);
  }

  setJob(jobId, backupId) {
    if (jobId) this.el.dataset.jobId = jobId;
    this.jobLine.textContent = jobId ? `Job ${jobId}` : backupId ? `Backup ${backupId}` : "";
  }

  /** Starts a wait: returns its AbortController; the Stop button aborts it, "Watch again" calls `restart`. */
  watching(restart, stopNote = "The job goes on on the server; stopping only stops this page from following it.") {
    const controller = new AbortController();
    this.error.replaceChildren();
    this.note.textContent = "";
    this.againButton.hidden = true;
    this.dismissButton.hidden = true;
    this.stopButton.hidden = false;
    this.stopButton.title = stopNote;
    this.stopButton.onclick = () => controller.abort();
    this.againButton.onclick = () => {
      restart();
      this.stopButton.focus(); // restart hid this button: keep the keyboard focus in the card
    };
    this.el.dataset.state = "watching";
    return controller;
  }

  progress(job, { etaMs }) {
    const pct = clampPercent(job.progress);
    this.#setBar(pct);
    this.state.textContent = STATUS_WORDS[job.status] ?? job.status;
    this.eta.textContent = job.status === "PENDING" ? "" : formatEta(etaMs);
  }

  /** No percentage known (queued, or following a backup rather than its job). */
  waiting(text) {
    this.bar.removeAttribute("value");
    this.bar.removeAttribute("aria-valuenow");
    this.bar.setAttribute("aria-valuetext", "waiting");
    this.percent.textContent = "…";
    this.state.textContent = "waiting";
    this.eta.textContent = "";
    this.note.textContent = text;
  }

  progressUnknown(status) {
    this.state.textContent = STATUS_WORDS[status] ?? status;
  }

  succeeded(job) {
    this.#setBar(100);
    this.state.textContent = "done";
    this.eta.replaceChildren(job?.endTime ? h("span", {}, "finished ", timeEl(job.endTime, formatRelative(job.endTime, Date.now()))) : "finished");
    this.note.textContent = "";
    this.#ended("succeeded");
    announce(`${this.el.querySelector("h3").textContent}: done (100%).`);
  }

  failed(err, canWatchAgain) {
    if (err?.kind === "Aborted") {
      this.note.textContent = canWatchAgain
        ? "You stopped watching. The job goes on on the server: the backup shows as CREATING in the list until it is done."
        : "You stopped waiting: the queued backup was not created.";
      this.state.textContent = "not watched";
      this.eta.textContent = "";
      this.#ended("stopped");
      this.againButton.hidden = !canWatchAgain;
      announce(this.note.textContent);
      return;
    }
    this.state.textContent = err?.kind === "JobFailed" ? "failed" : "error";
    showError(this.error, err);
    // A network blip or a timeout does not stop the job: offer to follow it again.
    this.againButton.hidden = !canWatchAgain || err?.kind === "JobFailed";
    this.#ended("failed");
  }

  #setBar(pct) {
    this.bar.value = pct;
    this.bar.setAttribute("aria-valuenow", String(pct));
    this.bar.setAttribute("aria-valuetext", `${pct}%`);
    this.percent.textContent = `${pct}%`;
  }

  #ended(state) {
    this.el.dataset.state = state;
    const hadFocus = this.el.contains(document.activeElement);
    this.stopButton.hidden = true;
    this.dismissButton.hidden = false;
    if (hadFocus) (this.againButton.hidden ? this.dismissButton : this.againButton).focus();
  }
}

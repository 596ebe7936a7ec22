import { app, output } from "@azure/functions";
import { record } from "../lib/record.js";

app.storageQueue("work", {
  queueName: "%WORK_QUEUE%",
  connection: "AzureWebJobsStorage",
  return: output.storageQueue({ queueName: "%WORK_QUEUE%-done", connection: "AzureWebJobsStorage" }),
  handler: async (message, context) => {
    record("work", { message, dequeueCount: context.triggerMetadata.dequeueCount, id: context.triggerMetadata.id });
    if (message && typeof message === "object" && message.fail) throw new Error(`refusing ${message.n}`);
    return { done: message };
  },
});

app.timer("tick", {
  schedule: "%TICK_SCHEDULE%",
  runOnStartup: true,
  handler: async (timer, context) => {
    record("tick", { isPastDue: timer.isPastDue, invocationId: context.invocationId });
  },
});

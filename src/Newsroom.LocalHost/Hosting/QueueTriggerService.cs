using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// Polls each queue-triggered function's queue and runs it per message, with the host.json semantics of
/// the Functions queue listener: a failed message becomes visible again after visibilityTimeout, and after
/// maxDequeueCount failed attempts it moves to "{queue}-poison". Polling backs off to maxPollingInterval
/// while the queue is empty.
/// </summary>
public sealed class QueueTriggerService(
    IEnumerable<FunctionInvoker> functions,
    IServiceScopeFactory scopes,
    QueueServiceClient queues,
    HostJson host,
    IConfiguration configuration,
    ILogger<QueueTriggerService> log) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Metadata.Trigger.Type == "queueTrigger").Select(f => ListenAsync(f, stoppingToken)));

    private async Task ListenAsync(FunctionInvoker function, CancellationToken stoppingToken)
    {
        var name = AppSettingReference.Resolve(function.Metadata.Trigger.Get("queueName")!, configuration, "Queue name");
        var queue = queues.GetQueueClient(name);
        var poison = queues.GetQueueClient(name + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(host.BatchSize, TimeSpan.FromMinutes(5), stoppingToken)).Value;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (messages.Length > 0)
            {
                delay = MinPollingInterval;
                await Task.WhenAll(messages.Select(m => ProcessAsync(function, queue, poison, m, stoppingToken)));
                continue;
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, host.MaxPollingInterval.Ticks));
        }
    }

    /// <summary>Runs one message; exposed so tests can drive a delivery by hand.</summary>
    public async Task ProcessAsync(FunctionInvoker function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await function.InvokeAsync(scope.ServiceProvider, new Invocation(null, message, cancellationToken));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LocalHostLog.QueueMessageFailed(log, e, message.MessageId, queue.Name, message.DequeueCount, host.MaxDequeueCount);
            if (message.DequeueCount >= host.MaxDequeueCount)
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
                await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                LocalHostLog.QueueMessagePoisoned(log, message.MessageId, queue.Name, poison.Name, message.DequeueCount);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: host.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
    }
}

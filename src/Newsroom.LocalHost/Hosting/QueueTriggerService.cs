using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Newsroom.LocalHost.Worker;
using Newsroom.LocalHost.Worker.Rpc;

namespace Newsroom.LocalHost.Hosting;

/// <summary>Runs every queue-triggered function with a listener of its own.</summary>
public sealed class QueueTriggerService(FunctionsWorker worker, HostJson host, SharedQueueWatcher watcher, IConfiguration configuration, ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(worker.Functions.Where(f => f.Trigger.Type == "queueTrigger")
            .Select(f => QueueListener.Create(f, worker, host, watcher, configuration, loggers).RunAsync(stoppingToken)));
}

/// <summary>
/// One queue trigger, with the Storage Queues extension's listener semantics:
/// <list type="bullet">
/// <item>receive batchSize messages, hidden for 10 minutes (renewed every 5 while a function runs); fetch the
/// next batch as soon as no more than newBatchThreshold are running, so up to batchSize + newBatchThreshold
/// run at once;</item>
/// <item>an empty queue backs off from 100 ms, doubling with ±20% jitter, up to maxPollingInterval; a message
/// written by a queue output binding in this host ends the wait at once (<see cref="SharedQueueWatcher"/>);</item>
/// <item>a message received with DequeueCount &gt; maxDequeueCount goes to "&lt;queue&gt;-poison" without the function
/// being called (a worker that died on its last attempt); a failure at DequeueCount ≥ maxDequeueCount goes there
/// at once; an earlier failure makes the message visible again after visibilityTimeout; a "-poison" queue has no
/// poison queue of its own, and a failed message there stays hidden until its 10 minutes pass;</item>
/// <item>a message that is not valid base64 goes to the poison queue as it is.</item>
/// </list>
/// </summary>
public sealed class QueueListener
{
    private static readonly TimeSpan ReceiveVisibility = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(5);

    private readonly FunctionMetadata _function;
    private readonly FunctionsWorker _worker;
    private readonly HostJson _host;
    private readonly QueueClient _queue;
    private readonly QueueClient? _poison;
    private readonly ILogger _log;
    private readonly Lock _notifiedLock = new();
    private TaskCompletionSource _notified = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private QueueListener(FunctionMetadata function, FunctionsWorker worker, HostJson host, QueueClient queue, QueueClient? poison, ILogger log)
    {
        _function = function;
        _worker = worker;
        _host = host;
        _queue = queue;
        _poison = poison;
        _log = log;
    }

    public string QueueName => _queue.Name;

    /// <param name="queueName">Another queue than the trigger's (tests give a listener a queue of its own).</param>
    public static QueueListener Create(FunctionMetadata function, FunctionsWorker worker, HostJson host, SharedQueueWatcher watcher, IConfiguration configuration, ILoggerFactory loggers, string? queueName = null)
    {
        var trigger = function.Trigger;
        var name = queueName ?? AppSettingReference.Resolve(trigger.Get("queueName")!, configuration, "Queue name");
        QueueClient? poisonQueue = null;
        var options = new QueueClientOptions { MessageEncoding = host.MessageEncoding };
        // A message that is not valid base64 reaches no function: the host copies it, raw, to the poison queue.
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is { } raw && poisonQueue is not null)
            {
                await poisonQueue.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken);
                await RawClient(configuration, trigger, poisonQueue.Name).SendMessageAsync(raw.Body.ToString(), args.CancellationToken);
                await args.Queue.DeleteMessageAsync(raw.MessageId, raw.PopReceipt, args.CancellationToken);
            }
        };
        var service = TriggerConnections.Queues(configuration, trigger.Get("connection"), options);
        var queue = service.GetQueueClient(name);
        poisonQueue = name.EndsWith("-poison", StringComparison.Ordinal) || name.Length + "-poison".Length > 63 ? null : service.GetQueueClient(name + "-poison");
        var listener = new QueueListener(function, worker, host, queue, poisonQueue, loggers.CreateLogger<QueueListener>());
        watcher.Register(name, listener.Notify);
        return listener;
    }

    /// <summary>The first idle wait, doubled up to maxPollingInterval (the extension's 100 ms; tests lengthen it).</summary>
    internal TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Idle waits begun so far (tests wait for the listener to be idle).</summary>
    internal int IdleWaits;

    /// <summary>A message was just written to this queue by this host: end the idle wait (or the next one, if a poll is under way).</summary>
    public void Notify()
    {
        lock (_notifiedLock)
        {
            _notified.TrySetResult();
        }
    }

    private static QueueClient RawClient(IConfiguration configuration, BindingMetadata trigger, string queueName) =>
        TriggerConnections.Queues(configuration, trigger.Get("connection"), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }).GetQueueClient(queueName);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var processing = new List<Task>();
        var delay = MinPollingInterval;
        try
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                // As the extension: a notification before this poll is answered by it; one during it ends the wait after it.
                Task notified;
                lock (_notifiedLock)
                {
                    _notified.TrySetResult();
                    _notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    notified = _notified.Task;
                }
                QueueMessage[] messages;
                try
                {
                    messages = (await _queue.ReceiveMessagesAsync(_host.BatchSize, ReceiveVisibility, stoppingToken)).Value;
                }
                catch (RequestFailedException e)
                {
                    LocalHostLog.QueuePollFailed(_log, e, _queue.Name);
                    messages = [];
                }
                if (messages.Length == 0)
                {
                    Interlocked.Increment(ref IdleWaits);
                    await Task.WhenAny(Task.Delay(Jitter(delay), stoppingToken), notified);
                    stoppingToken.ThrowIfCancellationRequested();
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _host.MaxPollingInterval.Ticks));
                    continue;
                }
                delay = MinPollingInterval;
                processing.AddRange(messages.Select(m => ProcessAsync(m, stoppingToken)));
                while (processing.Count > _host.NewBatchThreshold)
                {
                    processing.Remove(await Task.WhenAny(processing));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(processing);
    }

    /// <summary>One delivery of one message: poison, invoke, then delete, release or poison.</summary>
    public async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (message.DequeueCount > _host.MaxDequeueCount && _poison is not null)
            {
                // Delivered more often than allowed without finishing (the worker died on it): no more tries.
                await PoisonAsync(message, cancellationToken);
                return;
            }
            var current = message;
            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewal = RenewAsync(() => current, m => current = m, renewing.Token);
            var succeeded = await InvokeAsync(message, cancellationToken);
            await renewing.CancelAsync();
            await renewal;
            if (succeeded)
            {
                await IgnoreGoneAsync(() => _queue.DeleteMessageAsync(current.MessageId, current.PopReceipt, CancellationToken.None));
            }
            else if (_poison is null)
            {
                // No poison queue to go to: stay hidden until the receive visibility passes, not in a fast loop.
            }
            else if (current.DequeueCount >= _host.MaxDequeueCount)
            {
                await PoisonAsync(current, CancellationToken.None);
            }
            else
            {
                await IgnoreGoneAsync(() => _queue.UpdateMessageAsync(current.MessageId, current.PopReceipt, visibilityTimeout: _host.VisibilityTimeout, cancellationToken: CancellationToken.None));
            }
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            LocalHostLog.QueueMessageFailed(_log, e, message.MessageId, _queue.Name, message.DequeueCount, _host.MaxDequeueCount);
        }
    }

    private async Task<bool> InvokeAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _worker.ReadyAsync(cancellationToken);
            var response = await _worker.InvokeAsync(connection, Request(message), cancellationToken);
            if (response.Result.Status == StatusResult.Types.Status.Success)
            {
                return true;
            }
            LocalHostLog.QueueMessageFailed(_log, new InvalidOperationException(response.Result.Exception?.Message ?? "failed"),
                message.MessageId, _queue.Name, message.DequeueCount, _host.MaxDequeueCount);
            return false;
        }
        catch (Exception e) when (e is WorkerUnavailableException or TimeoutException)
        {
            LocalHostLog.QueueMessageFailed(_log, e, message.MessageId, _queue.Name, message.DequeueCount, _host.MaxDequeueCount);
            return false;
        }
    }

    /// <summary>The invocation as the host builds it for a queue trigger: the message by the binding's type, and its properties as trigger metadata.</summary>
    private InvocationRequest Request(QueueMessage message)
    {
        var trigger = _function.Trigger;
        var text = message.Body.ToString();
        TypedData data;
        if (trigger.Properties("supportsDeferredBinding") == "True")
        {
            // A QueueMessage (or BinaryData) parameter: the message itself, as the extension's model binding data.
            var content = new Dictionary<string, object?>
            {
                ["MessageId"] = message.MessageId,
                ["PopReceipt"] = message.PopReceipt,
                ["MessageText"] = text,
                ["DequeueCount"] = message.DequeueCount,
            };
            AddTime(content, "InsertedOn", message.InsertedOn);
            AddTime(content, "ExpiresOn", message.ExpiresOn);
            AddTime(content, "NextVisibleOn", message.NextVisibleOn);
            data = new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = Google.Protobuf.ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(content)),
                },
            };
        }
        else if (string.Equals(trigger.Get("dataType"), "String", StringComparison.OrdinalIgnoreCase))
        {
            data = new TypedData { String = text };
        }
        else if (string.Equals(trigger.Get("dataType"), "Binary", StringComparison.OrdinalIgnoreCase))
        {
            data = new TypedData { Bytes = Google.Protobuf.ByteString.CopyFrom(message.Body.ToArray()) };
        }
        else
        {
            data = new TypedData { Json = text }; // a POCO: the message text as JSON
        }

        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = _function.FunctionId,
            InputData = { new ParameterBinding { Name = trigger.Name, Data = data } },
        };
        var metadata = request.TriggerMetadata;
        metadata["QueueTrigger"] = new TypedData { String = text };
        metadata["Id"] = new TypedData { String = message.MessageId };
        metadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
        // Numbers and times go as JSON: the worker takes no other typed scalars.
        metadata["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, time) in new[] { ("InsertionTime", message.InsertedOn), ("ExpirationTime", message.ExpiresOn), ("NextVisibleTime", message.NextVisibleOn) })
        {
            if (time is { } t)
            {
                metadata[key] = new TypedData { Json = JsonSerializer.Serialize(t) };
            }
        }
        return request;
    }

    private static void AddTime(Dictionary<string, object?> content, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            content[name] = t; // left out when unknown: the worker refuses a null
        }
    }

    /// <summary>Keeps a running message hidden: every 5 minutes its visibility is set to 10 minutes again.</summary>
    private async Task RenewAsync(Func<QueueMessage> current, Action<QueueMessage> updated, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, cancellationToken);
                var message = current();
                var receipt = await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: ReceiveVisibility, cancellationToken: cancellationToken);
                updated(message.Update(receipt.Value));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RequestFailedException)
        {
            // Done, or the message is gone: nothing to keep hidden.
        }
    }

    private async Task PoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await _poison!.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await IgnoreGoneAsync(() => _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken));
        LocalHostLog.QueueMessagePoisoned(_log, message.MessageId, _queue.Name, _poison.Name, message.DequeueCount);
    }

    private static async Task IgnoreGoneAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404 or 409)
        {
            // Pop receipt no longer ours, or the message or queue gone: as the host, nothing to do.
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (0.4 * Random.Shared.NextDouble()))));
}

using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using Newsroom.LocalHost.Worker.Rpc;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// The host's side of a queue output binding: after a function succeeds, each value the worker returned for a
/// binding of type "queue" becomes a message of the binding's queue (resolved like a trigger's: %setting% names,
/// the connection by the host's rules, host.json's messageEncoding), the queue created if missing; then the
/// host's listeners of that queue are notified (<see cref="SharedQueueWatcher"/>). A failure to write fails the
/// invocation, as on Azure. An HTTP function's response has already been written by then.
/// </summary>
public sealed class QueueOutputs(IConfiguration configuration, HostJson host, SharedQueueWatcher watcher)
{
    private readonly ConcurrentDictionary<(string? Connection, string Queue), QueueClient> _queues = new();

    internal async Task WriteAsync(FunctionMetadata function, InvocationResponse response, CancellationToken cancellationToken)
    {
        var values = response.OutputData.Select(o => (o.Name, o.Data))
            .Append(("$return", response.ReturnValue));
        foreach (var (name, data) in values)
        {
            var binding = function.Bindings.FirstOrDefault(b => b.Name == name && b.Type == "queue"
                && string.Equals(b.Direction, "out", StringComparison.OrdinalIgnoreCase));
            if (binding is null || Message(data) is not { } message)
            {
                continue; // not a queue output, or the function left it null
            }
            var queue = Queue(binding);
            try
            {
                await queue.SendMessageAsync(message, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == "QueueNotFound")
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await queue.SendMessageAsync(message, cancellationToken: cancellationToken);
            }
            watcher.Notify(queue.Name);
        }
    }

    private QueueClient Queue(BindingMetadata binding)
    {
        var name = AppSettingReference.Resolve(binding.Get("queueName")
            ?? throw new InvalidOperationException($"The queue output binding '{binding.Name}' names no queue."), configuration, "Queue name");
        return _queues.GetOrAdd((binding.Get("connection"), name), key =>
            TriggerConnections.Queues(configuration, key.Connection, new QueueClientOptions { MessageEncoding = host.MessageEncoding }).GetQueueClient(key.Queue));
    }

    private static BinaryData? Message(TypedData? data) => data?.DataCase switch
    {
        TypedData.DataOneofCase.String => BinaryData.FromString(data.String),
        TypedData.DataOneofCase.Json => BinaryData.FromString(data.Json),
        TypedData.DataOneofCase.Bytes => BinaryData.FromBytes(data.Bytes.Memory),
        _ => null,
    };
}

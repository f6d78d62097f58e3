using System.Collections.Concurrent;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// The Storage Queues extension's shared watcher: a queue output binding that writes a message notifies every
/// listener of that queue in the same host, which then polls at once instead of finishing its idle back-off.
/// Messages sent any other way (the Storage SDK, another instance) are found by the next poll only.
/// </summary>
public sealed class SharedQueueWatcher
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<Action>> _registrations = new(StringComparer.Ordinal);

    public void Register(string queueName, Action notify) =>
        _registrations.GetOrAdd(queueName, _ => []).Add(notify);

    public void Notify(string enqueuedInQueueName)
    {
        if (_registrations.TryGetValue(enqueuedInQueueName, out var listeners))
        {
            foreach (var notify in listeners)
            {
                notify();
            }
        }
    }
}

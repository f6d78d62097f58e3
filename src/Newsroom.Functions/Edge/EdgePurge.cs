using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Edge;
using Newsroom.Storage;

namespace Newsroom.Functions.Edge;

/// <summary>Purges the edge's copies of what a change took down or altered, one queue message per change.</summary>
public sealed class EdgePurge(EdgePurger purger)
{
    [Function(nameof(EdgePurge))]
    public Task Run(
        [QueueTrigger(StorageNames.EdgePurgeQueue, Connection = StorageOptions.SectionName)] QueueMessage message,
        CancellationToken cancellationToken) =>
        purger.PurgeAsync(EdgePurgeRequest.FromMessage(message.Body), cancellationToken);
}

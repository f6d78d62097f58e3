using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.Functions.Photos;

/// <summary>Makes a photo's renditions, one queue message per photo.</summary>
public sealed class PhotoResize(PhotoProcessor processor)
{
    [Function(nameof(PhotoResize))]
    public Task Run(
        [QueueTrigger(StorageNames.PhotoJobsQueue, Connection = StorageOptions.SectionName)] QueueMessage message,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(PhotoJob.FromMessage(message.Body), message.DequeueCount, cancellationToken);
}

using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Json;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.Functions.Photos;

/// <summary>Makes a photo's renditions, one queue message per photo.</summary>
public sealed class PhotoResize(PhotoProcessor processor)
{
    [Function(nameof(PhotoResize))]
    public Task Run(
        [QueueTrigger(StorageNames.PhotoJobsQueue, Connection = StorageOptions.SectionName)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        var job = JsonSerializer.Deserialize<PhotoJob>(message.Body.ToMemory().Span, NewsroomJson.Options)
            ?? throw new InvalidOperationException($"Photo job message {message.MessageId} is empty.");
        return processor.ProcessAsync(job, message.DequeueCount, cancellationToken);
    }
}

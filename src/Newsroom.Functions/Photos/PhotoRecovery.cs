using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.Functions.Photos;

/// <summary>
/// Makes sure every photo ends ready or failed: the poison queue's handler fails a photo whose job the host
/// gave up on (the host moves a message there after maxDequeueCount deliveries without calling PhotoResize,
/// so a worker that died on its last attempt leaves no other trace), and a sweep every five minutes
/// finishes or undoes whatever a crash, a lost message or an interrupted upload left pending.
/// </summary>
public sealed class PhotoRecovery(PhotoProcessor processor, PhotoSweeper sweeper)
{
    public const string SweepSchedule = "0 */5 * * * *";

    [Function(nameof(PhotoResizeGaveUp))]
    public Task PhotoResizeGaveUp(
        [QueueTrigger(StorageNames.PhotoJobsPoisonQueue, Connection = StorageOptions.SectionName)] QueueMessage message,
        CancellationToken cancellationToken) =>
        processor.GiveUpAsync(PhotoJob.FromMessage(message.Body), cancellationToken);

    [Function(nameof(PhotoSweep))]
    public Task PhotoSweep([TimerTrigger(SweepSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}

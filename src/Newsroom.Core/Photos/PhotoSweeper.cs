using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>What one sweep did.</summary>
public sealed record SweepResult(int Resent, int Failed, int Removed, int Cleared);

/// <summary>
/// Finishes what the happy path cannot: every photo still marked pending whose job was sent more than
/// <see cref="PhotoOptions.StuckAfterMinutes"/> ago. A photo never stored (a crash between the pending mark
/// and the record) loses its original; a finished one loses its mark; one still processing gets its job
/// sent again (a crash between the record and the job, a lost message) or, after
/// <see cref="PhotoOptions.MaxResends"/>, fails with a reason. So every photo ends ready or failed.
/// </summary>
public sealed class PhotoSweeper(
    StorageClients storage,
    PhotoStore photos,
    PhotoProcessor processor,
    IOptions<PhotoOptions> options,
    TimeProvider time,
    ILogger<PhotoSweeper> log)
{
    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        int resent = 0, failed = 0, removed = 0, cleared = 0;
        foreach (var pending in await photos.PendingAsync(now.AddMinutes(-o.StuckAfterMinutes), 500, cancellationToken))
        {
            var record = await photos.GetAsync(pending.Id, cancellationToken);
            if (record is null)
            {
                var originals = storage.Container(StorageNames.PhotoOriginalsContainerName);
                await originals.DeleteBlobIfExistsAsync(pending.OriginalBlob, cancellationToken: cancellationToken);
                await photos.ClearPendingAsync(pending.Id, cancellationToken);
                PhotoLog.OrphanRemoved(log, pending.Id, pending.OriginalBlob);
                removed++;
            }
            else if (record.Value.Photo.Status != PhotoStatus.Processing)
            {
                await photos.ClearPendingAsync(pending.Id, cancellationToken);
                cleared++;
            }
            else if (pending.Resends < o.MaxResends)
            {
                if (await photos.TryRecordResendAsync(pending, now, cancellationToken))
                {
                    await new PhotoJob(pending.Id).SendAsync(storage, cancellationToken);
                    PhotoLog.JobResent(log, pending.Id, (int)(now - pending.SentAt).TotalMinutes, pending.Resends + 1, o.MaxResends);
                    resent++;
                }
            }
            else
            {
                var minutes = (int)(now - record.Value.Photo.CreatedAt).TotalMinutes;
                await processor.FailAsync(pending.Id,
                    $"The photo was still being processed {minutes} minutes after it was uploaded, after {pending.Resends + 1} tries: the worker stopped each time (running out of memory or time are the usual causes). Upload it again, or a smaller export of it.",
                    cancellationToken);
                failed++;
            }
        }
        return new SweepResult(resent, failed, removed, cleared);
    }
}

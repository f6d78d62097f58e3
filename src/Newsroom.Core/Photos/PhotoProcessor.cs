using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NetVips;
using Newsroom.Storage;
using Newsroom.Telemetry;

namespace Newsroom.Photos;

/// <summary>
/// The resize job, in two stages. At-least-once delivery is expected: rendition names are deterministic
/// ({id}/{hash}-{width}.{format}), so a repeated or retried job overwrites the same blobs. The record turns usable
/// (its usable set, placeholder and colour, listed as its renditions) only after that set is written, and ready
/// only after the whole set is, each with a conditional write: readers are only ever offered renditions that exist,
/// and a worker that dies between the stages leaves a usable photo that the job's next delivery finishes. An image libvips cannot decode fails at once; other failures are retried and, on the
/// last attempt, the record says failed with the reason.
/// </summary>
public sealed class PhotoProcessor(
    StorageClients storage,
    PhotoStore photos,
    RenditionPipeline pipeline,
    Publishing.IndexOutbox outbox,
    IOptions<PhotoOptions> options,
    TimeProvider time,
    ILogger<PhotoProcessor> log)
{
    private const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    public async Task ProcessAsync(PhotoJob job, long attempt, CancellationToken cancellationToken)
    {
        using var activity = NewsroomTelemetry.StartFromMessage("photo.resize", job.TraceParent);
        activity?.SetTag("newsroom.photo.id", job.PhotoId);
        activity?.SetTag("newsroom.attempt", attempt);
        var found = await photos.GetAsync(job.PhotoId, cancellationToken);
        if (found is not { } current)
        {
            PhotoLog.JobForMissingPhoto(log, job.PhotoId);
            return;
        }
        if (current.Photo.Status != PhotoStatus.Processing)
        {
            PhotoLog.AlreadyDone(log, job.PhotoId, current.Photo.Status);
            if (current.Photo.Status == PhotoStatus.Ready)
            {
                await ReindexUsersAsync(job.PhotoId, cancellationToken); // the delivery that made it ready may have stopped before this
            }
            await photos.ClearPendingAsync(job.PhotoId, cancellationToken);
            return;
        }

        var temp = Path.GetTempFileName();
        try
        {
            var queued = time.GetUtcNow() - current.Photo.CreatedAt; // from the upload's record to the worker
            var source = storage.Container(StorageNames.PhotoOriginalsContainerName).GetBlobClient(current.Photo.OriginalBlob);
            var download = System.Diagnostics.Stopwatch.StartNew();
            await source.DownloadToAsync(temp, cancellationToken);
            var downloadMs = download.Elapsed.TotalMilliseconds;
            var (record, etag) = (current.Photo, current.ETag);
            var raced = false;

            // The usable set is written, and the record says so, before the other widths are made.
            var result = await pipeline.RunAsync(temp, async usableSet =>
            {
                if (record.Usable)
                {
                    return; // an earlier delivery got this far: the set is written, its record says so
                }
                await UploadAsync(record, usableSet.Renditions, cancellationToken);
                var usable = WithRenditions(record, usableSet) with { Usable = true };
                if (await photos.ReplaceIfAsync(usable, etag, cancellationToken) is not { } next)
                {
                    raced = true;
                    return;
                }
                (record, etag) = (usable, next);
                PhotoLog.Usable(log, job.PhotoId, usableSet.Renditions.Count, (time.GetUtcNow() - record.CreatedAt).TotalMilliseconds,
                    queued.TotalMilliseconds, downloadMs, usableSet.Timings.DecodeMs, usableSet.Timings.ResizeMs, usableSet.Timings.EncodeMs);
                NewsroomTelemetry.PhotoUsableDuration.Record((time.GetUtcNow() - record.CreatedAt).TotalMilliseconds);
                await photos.UpsertLibraryAsync(usable, cancellationToken);
                if (AfterUsable is { } stop)
                {
                    await stop(job.PhotoId, cancellationToken);
                }
            }, cancellationToken);
            if (raced)
            {
                PhotoLog.RacedToReady(log, job.PhotoId); // another delivery of the same job is ahead
                return;
            }

            await UploadAsync(record, result.Renditions.Where(r => !record.Renditions.Any(e => e.Width == r.Width && e.Format == r.Format)), cancellationToken);
            var ready = WithRenditions(record, result) with { Status = PhotoStatus.Ready, Usable = true };
            if (await photos.ReplaceIfAsync(ready, etag, cancellationToken) is null)
            {
                PhotoLog.RacedToReady(log, job.PhotoId); // another delivery of the same job finished first
                return;
            }
            PhotoLog.Ready(log, job.PhotoId, result.Width, result.Height, result.Renditions.Count, (time.GetUtcNow() - record.CreatedAt).TotalMilliseconds,
                queued.TotalMilliseconds, downloadMs, result.Timings.DecodeMs, result.Timings.ResizeMs, result.Timings.EncodeMs);
            // Upload to ready, as an editor waits for it: queue wait and retries included.
            NewsroomTelemetry.PhotoPipelineDuration.Record((time.GetUtcNow() - record.CreatedAt).TotalMilliseconds);
            await photos.UpsertLibraryAsync(ready, cancellationToken);
            await ReindexUsersAsync(job.PhotoId, cancellationToken);
            await photos.ClearPendingAsync(job.PhotoId, cancellationToken);
        }
        catch (VipsException e)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "undecodable");
            await FailAsync(current.Photo.Id, $"The image could not be decoded: {PhotoService.FirstLine(e.Message)}", cancellationToken);
        }
        catch (Exception e) when (attempt >= options.Value.MaxAttempts && e is not OperationCanceledException)
        {
            await FailAsync(current.Photo.Id, $"Processing failed after {attempt} attempts: {PhotoService.FirstLine(e.Message)}", cancellationToken);
            throw;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// The poison queue's handler: the host gave up on the job after maxDequeueCount deliveries, and a worker
    /// that died on its last attempt (out of memory, a native crash, a timeout, a scale-in) never said why.
    /// The photo must not stay processing: it fails with a reason an editor can act on.
    /// </summary>
    public Task GiveUpAsync(PhotoJob job, CancellationToken cancellationToken)
    {
        PhotoLog.JobPoisoned(log, job.PhotoId);
        NewsroomTelemetry.Poisoned.Add(1, new KeyValuePair<string, object?>("queue", StorageNames.PhotoJobsPoisonQueue));
        return FailAsync(job.PhotoId,
            $"Making the renditions did not finish in {options.Value.MaxAttempts} attempts: the worker stopped each time (running out of memory or time are the usual causes). Upload the photo again, or a smaller export of it.",
            cancellationToken);
    }

    /// <summary>Marks a photo that is still processing as failed with <paramref name="reason"/>; one that is ready or failed is left as it is.</summary>
    /// <remarks>
    /// A photo already usable is not taken back from the articles that may show it: it ends ready with the usable set
    /// it has (written and offered already), and the reason says the larger widths are missing.
    /// </remarks>
    public async Task FailAsync(string id, string reason, CancellationToken cancellationToken)
    {
        if (await photos.GetAsync(id, cancellationToken) is { } current && current.Photo.Status == PhotoStatus.Processing)
        {
            var ended = current.Photo.Usable
                ? current.Photo with { Status = PhotoStatus.Ready, Error = $"{reason} The usable set (the widths up to {current.Photo.Renditions.Max(r => r.Width)}) is kept; the larger widths are missing." }
                : current.Photo with { Status = PhotoStatus.Failed, Error = reason };
            if (await photos.TryReplaceAsync(ended, current.ETag, cancellationToken))
            {
                PhotoLog.Failed(log, id, ended.Error!);
                await photos.UpsertLibraryAsync(ended, cancellationToken);
                if (ended.Status == PhotoStatus.Ready)
                {
                    await ReindexUsersAsync(id, cancellationToken);
                }
            }
        }
        await photos.ClearPendingAsync(id, cancellationToken);
    }

    /// <summary>
    /// The articles that show the photo keep it, in their listing rows and ready-to-serve pages, as it was when
    /// they were indexed: marking them for the repair pass re-indexes them with the renditions (until then
    /// readers resolve the photo when they read them).
    /// </summary>
    private async Task ReindexUsersAsync(string photoId, CancellationToken cancellationToken)
    {
        foreach (var articleId in await photos.UsedByAsync(photoId, cancellationToken))
        {
            await outbox.MarkAsync(articleId, time.GetUtcNow(), Publishing.OutboxReason.PhotoReady, cancellationToken);
        }
    }

    /// <summary>
    /// For tests: runs once the usable set is recorded, before the larger widths are written; throwing here is a
    /// worker that dies between the stages.
    /// </summary>
    internal Func<string, CancellationToken, Task>? AfterUsable { get; set; }

    private async Task UploadAsync(PhotoRecord photo, IEnumerable<RenditionOutput> outputs, CancellationToken cancellationToken)
    {
        var renditions = storage.Container(StorageNames.RenditionsContainerName);
        await Parallel.ForEachAsync(outputs, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (r, ct) =>
            await renditions.GetBlobClient(BlobName(photo, r)).UploadAsync(new BinaryData(r.Bytes), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = r.ContentType, CacheControl = ImmutableCacheControl },
            }, ct));
    }

    private static PhotoRecord WithRenditions(PhotoRecord photo, PipelineResult result) => photo with
    {
        Width = result.Width,
        Height = result.Height,
        Renditions = [.. result.Renditions.Select(r => new Rendition(r.Width, r.Height, r.Format, BlobName(photo, r)) { Bytes = r.Bytes.Length })],
        Placeholder = result.Placeholder,
        DominantColor = result.DominantColor,
        Error = null,
    };

    private static string BlobName(PhotoRecord photo, RenditionOutput rendition) =>
        $"{photo.Id}/{photo.ContentHash}-{rendition.Width}.{rendition.Format}";
}

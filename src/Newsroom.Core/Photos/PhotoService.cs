using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>A resize job: which photo. The queue message body.</summary>
public sealed record PhotoJob(string PhotoId)
{
    /// <summary>The W3C traceparent of the upload, so the resize continues its trace.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    public BinaryData ToMessage() => new(JsonSerializer.SerializeToUtf8Bytes(this, NewsroomJson.Stored));

    /// <summary>Queues the job with the Storage SDK (the upload function has the host write it instead, through its queue output binding).</summary>
    public Task SendAsync(StorageClients storage, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.PhotoJobsQueue).SendMessageAsync(ToMessage(), cancellationToken: cancellationToken);

    /// <summary>The job a queue message carries; a message that is not one fails (and, retried, ends in the poison queue).</summary>
    public static PhotoJob FromMessage(BinaryData body) =>
        JsonSerializer.Deserialize<PhotoJob>(body.ToMemory().Span, NewsroomJson.Stored) is { PhotoId.Length: > 0 } job
            ? job
            : throw new InvalidDataException("The photo job message names no photo.");
}

/// <summary>A photo stored and recorded as processing, and the resize job still to be queued for it.</summary>
public sealed record StoredPhoto(PhotoRecord Photo, PhotoJob Job);

/// <summary>
/// Photo intake and lookup. An upload is checked at the door (real type by magic bytes, size, declared
/// pixels, its structure) before anything is written; then the photo is marked pending, the original goes
/// to the private container under a generated name and the record is created as processing; its resize job
/// is queued last. A failure in between removes what was already written; a crash in between, or a job that
/// never reached the queue, is finished or undone by the <see cref="PhotoSweeper"/> (the pending mark stays
/// until the photo is ready or failed).
/// </summary>
public sealed class PhotoService(StorageClients clients, PhotoStore photos, IOptions<PhotoOptions> options, IOptions<StorageOptions> storage, TimeProvider time)
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Checks an upload and, if it passes, stores it and queues its renditions (within NewsroomStorage:UploadDeadlineSeconds).</summary>
    public async Task<PhotoRecord> AcceptAsync(PhotoUpload upload, CancellationToken cancellationToken, string? id = null, Identity.DeskActor? uploadedBy = null)
    {
        var stored = await StoreAsync(upload, cancellationToken, id, uploadedBy);
        await stored.Job.SendAsync(clients, cancellationToken);
        return stored.Photo;
    }

    /// <summary>
    /// Checks an upload and, if it passes, stores it as processing (within NewsroomStorage:UploadDeadlineSeconds);
    /// the caller queues the job it gives back: the upload function through the host's queue output binding.
    /// </summary>
    public Task<StoredPhoto> StoreAsync(PhotoUpload upload, CancellationToken cancellationToken, string? id = null, Identity.DeskActor? uploadedBy = null) =>
        StorageDeadline.RunAsync(TimeSpan.FromSeconds(storage.Value.UploadDeadlineSeconds), token => StoreWithinDeadlineAsync(upload, id, uploadedBy, token), cancellationToken);

    private async Task<StoredPhoto> StoreWithinDeadlineAsync(PhotoUpload upload, string? id, Identity.DeskActor? uploadedBy, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.NewsroomTelemetry.Source.StartActivity("photo.upload");
        var o = options.Value;
        var head = new byte[(int)Math.Min(upload.Length, ImageHeader.SniffBytes)];
        upload.File.Position = 0;
        await upload.File.ReadExactlyAsync(head, cancellationToken);
        if (ImageHeader.Sniff(head) is null)
        {
            throw new UnsupportedMediaTypeException("The file is not a JPEG, PNG or WebP image (judged by its content, not its name or Content-Type). Export it as one of those and upload again.");
        }
        var header = ImageHeader.TryRead(upload.File)
            ?? throw Unreadable("its header is cut short or malformed");
        if (header.Pixels > o.MaxPixels)
        {
            throw Invalid("file", $"The image declares {header.Width}×{header.Height} pixels ({header.Pixels / 1_000_000.0:0.#} MP); the limit is {o.MaxPixels / 1_000_000.0:0.#} MP. Scale it down and upload again.");
        }
        // Whole, by its structure; the pixels are decoded once, in the worker (a file damaged inside its data fails there).
        if (ImageStructure.Check(upload.File, header.Format) is { } broken)
        {
            throw Unreadable(broken);
        }
        Validate(upload);

        if (id is not null && await photos.ExistsAsync(id, cancellationToken))
        {
            throw new ConflictException($"A photo with id '{id}' exists already.");
        }
        id ??= NewId();
        activity?.SetTag("newsroom.photo.id", id);
        upload.File.Position = 0;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(upload.File, cancellationToken))[..16];
        var original = clients.Container(StorageNames.PhotoOriginalsContainerName).GetBlobClient($"{id}/{hash}");
        var now = time.GetUtcNow();
        var photo = new PhotoRecord
        {
            Id = id,
            Status = PhotoStatus.Processing,
            Width = null,
            Height = null,
            Caption = upload.Caption,
            Credit = upload.Credit,
            Alt = upload.Alt,
            CreatedAt = now,
            OriginalBlob = original.Name,
            ContentHash = hash,
            UploadedBy = uploadedBy,
        };

        // The pending mark comes first: whatever a crash interrupts after it, the sweep finishes or undoes.
        await photos.MarkPendingAsync(id, original.Name, now, cancellationToken);
        var inserted = false;
        try
        {
            upload.File.Position = 0;
            await original.UploadAsync(upload.File, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = header.ContentType },
                // One Put Blob for any photo a camera makes (no block list to commit); the largest files in 8 MiB
                // blocks, four at a time. Azurite stores an 18 MB photo in about 0.2 s so, against 0.45 s in 4 MiB blocks.
                TransferOptions = new Azure.Storage.StorageTransferOptions { InitialTransferSize = 32 * 1024 * 1024, MaximumTransferSize = 8 * 1024 * 1024, MaximumConcurrency = 4 },
            }, cancellationToken);
            try
            {
                await photos.InsertAsync(photo, cancellationToken);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 409)
            {
                // Only a caller-chosen id can collide (the demo seeder); the blob of that name is the other photo's too.
                throw new ConflictException($"A photo with id '{id}' exists already.");
            }
            inserted = true;
            await photos.UpsertLibraryAsync(photo, cancellationToken);
        }
        catch (Exception e) when (e is not ConflictException)
        {
            // Refused or failed: leave nothing behind. Storage may be what failed, so the clean-up gets a few
            // seconds and no more; whatever it cannot remove, the pending mark leads the sweep to.
            using var cleanup = new CancellationTokenSource(CleanupTimeout);
            try
            {
                if (inserted)
                {
                    await photos.DeleteLibraryAsync(photo, cleanup.Token);
                    await photos.DeleteAsync(id, cleanup.Token);
                }
                await original.DeleteIfExistsAsync(cancellationToken: cleanup.Token);
                await photos.ClearPendingAsync(id, cleanup.Token);
            }
            catch (Exception cleanupFailure) when (StorageFailures.IsUnavailable(cleanupFailure))
            {
                // Left for the sweep.
            }
            throw;
        }
        return new StoredPhoto(photo, new PhotoJob(id) { TraceParent = Telemetry.NewsroomTelemetry.CurrentTraceParent });
    }

    public Task<PhotoRecord> GetAsync(string id, CancellationToken cancellationToken) =>
        StorageDeadline.RunAsync(TimeSpan.FromSeconds(storage.Value.ReadDeadlineSeconds), async token =>
            (await photos.GetAsync(id, token))?.Photo ?? throw new NotFoundException($"No photo has the id '{id}'."), cancellationToken);

    /// <summary>Decodes the whole image (at a small scale, which still reads every byte) so a cut or corrupt file is refused now.</summary>
    private static void Validate(PhotoUpload upload)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value, max) in new[] { ("caption", upload.Caption, 1000), ("credit", upload.Credit, 200), ("alt", upload.Alt, 500) })
        {
            if (value is not null && value.Length > max)
            {
                errors[name] = [$"At most {max} characters; this has {value.Length}."];
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationException("Some text fields are too long; see errors.") { Errors = errors };
        }
    }

    private static ValidationException Invalid(string field, string message) =>
        new(message) { Errors = new Dictionary<string, string[]> { [field] = [message] } };

    private static ValidationException Unreadable(string why) =>
        Invalid("file", $"The image cannot be read ({why}). It may be truncated or corrupt: export it again and re-upload.");

    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static string NewId() => "p" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
}

using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using NetVips;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>A resize job: which photo. The queue message body.</summary>
public sealed record PhotoJob(string PhotoId);

/// <summary>
/// Photo intake and lookup. An upload is checked at the door (real type by magic bytes, size, declared
/// pixels, a full decode so truncated or corrupt files are caught) before anything is written; then the
/// original goes to the private container under a generated name, the record is created as processing and
/// a resize job is queued. A failure in between removes what was already written.
/// </summary>
public sealed class PhotoService(StorageClients storage, PhotoStore photos, IOptions<PhotoOptions> options, TimeProvider time)
{
    public async Task<PhotoRecord> AcceptAsync(PhotoUpload upload, CancellationToken cancellationToken, string? id = null)
    {
        var o = options.Value;
        var head = new byte[(int)Math.Min(upload.Length, ImageHeader.MaxHeaderBytes)];
        upload.File.Position = 0;
        await upload.File.ReadExactlyAsync(head, cancellationToken);
        if (ImageHeader.Sniff(head) is null)
        {
            throw new UnsupportedMediaTypeException("The file is not a JPEG, PNG or WebP image (judged by its content, not its name or Content-Type). Export it as one of those and upload again.");
        }
        var header = ImageHeader.TryRead(head)
            ?? throw Unreadable("its header is cut short or malformed");
        if (header.Pixels > o.MaxPixels)
        {
            throw Invalid("file", $"The image declares {header.Width}×{header.Height} pixels ({header.Pixels / 1_000_000.0:0.#} MP); the limit is {o.MaxPixels / 1_000_000.0:0.#} MP. Scale it down and upload again.");
        }
        Verify(upload.File.Name);
        Validate(upload);

        id ??= NewId();
        upload.File.Position = 0;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(upload.File, cancellationToken))[..16];
        var original = storage.Container(StorageNames.PhotoOriginalsContainerName).GetBlobClient($"{id}/{hash}");
        var photo = new PhotoRecord
        {
            Id = id,
            Status = PhotoStatus.Processing,
            Width = null,
            Height = null,
            Caption = upload.Caption,
            Credit = upload.Credit,
            Alt = upload.Alt,
            CreatedAt = time.GetUtcNow(),
            OriginalBlob = original.Name,
            ContentHash = hash,
        };

        upload.File.Position = 0;
        await original.UploadAsync(upload.File, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = header.ContentType } }, cancellationToken);
        try
        {
            await photos.InsertAsync(photo, cancellationToken);
            try
            {
                await storage.Queue(StorageNames.PhotoJobsQueue).SendMessageAsync(
                    new BinaryData(JsonSerializer.SerializeToUtf8Bytes(new PhotoJob(id), NewsroomJson.Options)), cancellationToken: cancellationToken);
            }
            catch
            {
                await photos.DeleteAsync(id, CancellationToken.None);
                throw;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            await original.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw new ConflictException($"A photo with id '{id}' exists already.");
        }
        catch
        {
            await original.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        return photo;
    }

    public async Task<PhotoRecord> GetAsync(string id, CancellationToken cancellationToken) =>
        (await photos.GetAsync(id, cancellationToken))?.Photo
        ?? throw new NotFoundException($"No photo has the id '{id}'.");

    /// <summary>Decodes the whole image (at a small scale, which still reads every byte) so a cut or corrupt file is refused now.</summary>
    private static void Verify(string path)
    {
        try
        {
            using var probe = Image.Thumbnail(path, 64, height: 64, failOn: Enums.FailOn.Truncated);
            _ = probe.WriteToMemory<byte>();
        }
        catch (VipsException e)
        {
            throw Unreadable(FirstLine(e.Message));
        }
    }

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

using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Newsroom.Http;

namespace Newsroom.Photos;

/// <summary>
/// An editor's upload, read from multipart/form-data: the file part spooled to a temporary file (deleted
/// when disposed) while counting bytes, so an oversized upload is refused as soon as it passes the limit,
/// never held in memory; and the short text fields caption, credit and alt.
/// </summary>
public sealed class PhotoUpload : IAsyncDisposable
{
    private const int MaxFieldChars = 2000;

    /// <summary>Room for the multipart framing and the text fields around the file.</summary>
    private const long MultipartAllowance = 64 * 1024;

    /// <summary>The Functions host's request body limit (100 MiB, FUNCTIONS_REQUEST_BODY_SIZE_LIMIT): no body past it reaches the app.</summary>
    public const long HostBodyLimit = 100L * 1024 * 1024;

    private PhotoUpload(FileStream file, long length, string? caption, string? credit, string? alt)
    {
        File = file;
        Length = length;
        Caption = caption;
        Credit = credit;
        Alt = alt;
    }

    /// <summary>The uploaded bytes, positioned at 0; the file is deleted on dispose.</summary>
    public FileStream File { get; }
    public long Length { get; }
    public string? Caption { get; }
    public string? Credit { get; }
    public string? Alt { get; }

    /// <summary>
    /// Runs <paramref name="check"/> (signing the uploader in) before the body is read. A refusal (401, 403)
    /// first reads what is left of the body, as a 413 does, so that it reaches the client through the host's
    /// proxy instead of a 502 when the photo is large.
    /// </summary>
    public static async Task<T> BeforeReadingAsync<T>(HttpRequest request, Func<Task<T>> check, CancellationToken cancellationToken)
    {
        try
        {
            return await check();
        }
        catch (NewsroomException refusal)
        {
            RaiseBodyLimit(request);
            throw await DrainAsync(request, refusal, cancellationToken);
        }
    }

    public static async Task<PhotoUpload> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        RaiseBodyLimit(request);
        if (request.ContentLength is { } declared && declared > maxBytes + MultipartAllowance)
        {
            throw await DrainAsync(request, TooLarge(maxBytes), cancellationToken);
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new BadRequestException("Send the photo as multipart/form-data with a 'file' part (and optional caption, credit and alt fields).");
        }

        // Every part is bounded, so not even a part we skip can make us read without end.
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = maxBytes + 1 };
        FileStream? file = null;
        long length = 0;
        string? caption = null, credit = null, alt = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file" && disposition.IsFileDisposition())
                {
                    if (file is not null)
                    {
                        throw new BadRequestException("Send one file per upload.");
                    }
                    file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                    length = await BoundedCopy.CopyAsync(section.Body, file, maxBytes, () => TooLarge(maxBytes), cancellationToken);
                }
                else if (name is "caption" or "credit" or "alt")
                {
                    var value = await ReadFieldAsync(section.Body, name, cancellationToken);
                    switch (name)
                    {
                        case "caption": caption = value; break;
                        case "credit": credit = value; break;
                        default: alt = value; break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
            if (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
            {
                throw await DrainAsync(request, TooLarge(maxBytes), cancellationToken);
            }
            throw new BadRequestException($"The multipart body could not be read: {e.Message}");
        }
        catch (PayloadTooLargeException tooLarge)
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
            throw await DrainAsync(request, tooLarge, cancellationToken);
        }
        catch
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
            throw;
        }

        if (file is null || length == 0)
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
            throw new BadRequestException("The upload has no file: add a non-empty form part named 'file' with the image.");
        }
        file.Position = 0;
        return new PhotoUpload(file, length, caption, credit, alt);
    }

    /// <summary>An upload from a file on disk (the demo seeder, tests); the bytes are copied to a private temp file.</summary>
    public static async Task<PhotoUpload> FromFileAsync(string path, string? caption, string? credit, string? alt, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var source = System.IO.File.OpenRead(path))
        {
            await source.CopyToAsync(file, cancellationToken);
        }
        file.Position = 0;
        return new PhotoUpload(file, file.Length, caption, credit, alt);
    }

    public ValueTask DisposeAsync() => File.DisposeAsync();

    private static async Task<string?> ReadFieldAsync(Stream body, string name, CancellationToken cancellationToken)
    {
        var buffer = new char[MaxFieldChars + 1];
        using var reader = new StreamReader(body, Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        if (read > MaxFieldChars)
        {
            throw new ValidationException($"'{name}' is longer than {MaxFieldChars} characters.")
            {
                Errors = new Dictionary<string, string[]> { [name] = [$"At most {MaxFieldChars} characters."] },
            };
        }
        var value = new string(buffer, 0, read).Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// The server's own body limit (Kestrel's default is 30,000,000 bytes, in the Functions worker too) must not
    /// stop a photo the newsroom accepts. Raised to the Functions host's limit: the file itself is bounded when
    /// read, and a refusal can then read what is left (see DrainAsync).
    /// </summary>
    private static void RaiseBodyLimit(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = HostBodyLimit;
        }
    }

    /// <summary>
    /// Refuses an upload (too large, or from someone who may not upload), after reading (and dropping) what is left of its body, at most the
    /// host's own limit more. Behind the Functions host the request is streamed through a proxy that is still
    /// sending when the app answers; if the app stopped reading, the proxy would see the connection fail and
    /// the client would get a 502 instead of this 413.
    /// </summary>
    private static async Task<TRefusal> DrainAsync<TRefusal>(HttpRequest request, TRefusal refusal, CancellationToken cancellationToken)
        where TRefusal : Exception
    {
        if (request.ContentLength is null or <= HostBodyLimit)
        {
            var buffer = new byte[81920];
            long drained = 0;
            try
            {
                int read;
                while (drained <= HostBodyLimit && (read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    drained += read;
                }
            }
            catch (Exception e) when (e is IOException or BadHttpRequestException)
            {
                // The client went away or passed the host's limit: the refusal stands either way.
            }
        }
        return refusal;
    }

    private static PayloadTooLargeException TooLarge(long maxBytes) =>
        new($"The photo is larger than the limit of {maxBytes / (1024 * 1024)} MB. Export it smaller (a 20-megapixel JPEG at quality 90 is well under it) and upload again.");
}

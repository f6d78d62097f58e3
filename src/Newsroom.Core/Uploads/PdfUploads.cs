using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using Newsroom.Storage;
using Newsroom.Time;
using UglyToad.PdfPig;

namespace Newsroom.Uploads;

/// <summary>Where and how the editor's browser writes a PDF: PUT the file to <see cref="UploadUrl"/> with <see cref="Headers"/>, before <see cref="ExpiresAt"/>.</summary>
public sealed record PdfUploadTicket(string UploadId, Uri UploadUrl, DateTimeOffset ExpiresAt, long MaxBytes, IReadOnlyDictionary<string, string> Headers);

/// <summary>An uploaded PDF that passed the checks: its blob, size and page count.</summary>
public sealed record PdfFile(string BlobName, long Bytes, int Pages);

/// <summary>
/// PDFs too large to pass through the API (a print issue runs to 50–200 MB) go straight from the editor's browser
/// to Blob Storage: the API hands out a short-lived, write-only SAS for one new blob in the private "uploads"
/// container — a user-delegation SAS signed with a key Entra ID grants the app's identity (shared keys are off in
/// Azure), or, against Azurite, a service SAS signed with the emulator's key. When the editor confirms, the file is
/// checked where it lies: its size, its first bytes ("%PDF-"), and a strict parse of every page with PdfPig, which
/// gives the page count. A file that fails is deleted and refused with a problem saying why; one nobody confirms is
/// removed by the sweep. Readers download through a short-lived read-only SAS.
/// </summary>
public sealed class PdfUploads(StorageClients storage, IOptions<UploadOptions> options, TimeProvider time)
{
    /// <summary>A PDF's header is "%PDF-" within its first 1024 bytes (ISO 32000-1, 7.5.2, as readers accept it).</summary>
    private static readonly byte[] Magic = "%PDF-"u8.ToArray();
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private BlobContainerClient Container => storage.Container(StorageNames.UploadsContainerName);
    private volatile UserDelegationKey? _key;

    public static string BlobName(string uploadId) => uploadId + ".pdf";

    /// <summary>An id is lower-case letters, digits and dashes: it names the blob and, once confirmed, the record.</summary>
    public static bool IsId(string? id) => id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A new upload: its id and a write-only address for it, valid <see cref="UploadOptions.UploadMinutes"/>.</summary>
    public async Task<PdfUploadTicket> StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = "u" + now.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
            + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var expires = now.AddMinutes(options.Value.UploadMinutes);
        var url = await SasAsync(Container.GetBlobClient(BlobName(id)), BlobSasPermissions.Create | BlobSasPermissions.Write, expires, null, cancellationToken);
        return new PdfUploadTicket(id, url, expires.ToVietnam(), options.Value.MaxPdfBytes,
            new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob", ["Content-Type"] = "application/pdf" });
    }

    /// <summary>A read-only address for <paramref name="blobName"/>, valid <see cref="UploadOptions.DownloadMinutes"/>, saved as <paramref name="fileName"/>.</summary>
    public Task<Uri> DownloadUrlAsync(string blobName, string fileName, CancellationToken cancellationToken) =>
        SasAsync(Container.GetBlobClient(blobName), BlobSasPermissions.Read, time.GetUtcNow().AddMinutes(options.Value.DownloadMinutes),
            $"attachment; filename=\"{fileName}\"", cancellationToken);

    /// <summary>
    /// Checks the uploaded file of <paramref name="uploadId"/>: there, at most <see cref="UploadOptions.MaxPdfBytes"/>,
    /// a PDF by its bytes, every page parsed. A file that fails is deleted and the problem says why (413, 415, 422).
    /// </summary>
    public async Task<PdfFile> CheckAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (!IsId(uploadId))
        {
            throw Invalid($"'{uploadId}' is not an upload id; ask for one with POST /api/print-issues/uploads.");
        }
        var blob = Container.GetBlobClient(BlobName(uploadId));
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw Invalid($"No file has been uploaded for '{uploadId}': PUT the PDF to the uploadUrl you were given first (it is valid for {options.Value.UploadMinutes} minutes).");
        }
        var max = options.Value.MaxPdfBytes;
        if (properties.ContentLength > max)
        {
            await DeleteAsync(uploadId, cancellationToken);
            throw new PayloadTooLargeException($"The file is {properties.ContentLength:N0} bytes; a PDF may be at most {max:N0} bytes. It was deleted: upload a smaller file (compress its images).");
        }
        var path = Path.Combine(Path.GetTempPath(), $"newsroom-pdf-{uploadId}-{Path.GetRandomFileName()}"); // two checks of one upload never share a file
        try
        {
            await blob.DownloadToAsync(path, cancellationToken);
            var pages = Inspect(path);
            return new PdfFile(BlobName(uploadId), properties.ContentLength, pages);
        }
        catch (NewsroomException)
        {
            await DeleteAsync(uploadId, CancellationToken.None);
            throw;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The page count of the PDF at <paramref name="path"/>, or 415 (not a PDF) / 422 (damaged, truncated, empty).</summary>
    internal static int Inspect(string path)
    {
        using (var file = File.OpenRead(path))
        {
            var head = new byte[1024];
            var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (head.AsSpan(0, read).IndexOf(Magic) < 0)
            {
                throw new UnsupportedMediaTypeException(
                    $"The file is not a PDF (it does not begin with %PDF-{(read == 0 ? "; it is empty" : "")}). It was deleted: upload the issue as a PDF.");
            }
        }
        try
        {
            // From a stream over the file, so a 200 MB issue is not read into memory whole.
            using var stream = File.OpenRead(path);
            using var document = PdfDocument.Open(stream, new ParsingOptions { UseLenientParsing = false });
            for (var page = 1; page <= document.NumberOfPages; page++)
            {
                _ = document.GetPage(page); // every page's dictionary and content must parse
            }
            return document.NumberOfPages > 0 ? document.NumberOfPages : throw Invalid("The PDF has no pages. It was deleted.");
        }
        catch (Exception e) when (e is not NewsroomException)
        {
            throw Invalid($"The PDF cannot be read ({e.Message.TrimEnd('.')}): it may be truncated or damaged. It was deleted: export it again and upload the whole file.");
        }
    }

    /// <summary>Deletes the uploaded file of <paramref name="uploadId"/> (gone already is fine).</summary>
    public Task DeleteAsync(string uploadId, CancellationToken cancellationToken) =>
        Container.DeleteBlobIfExistsAsync(BlobName(uploadId), cancellationToken: cancellationToken);

    /// <summary>Deletes the uploads older than <see cref="UploadOptions.AbandonedAfterHours"/> that no record keeps.</summary>
    public async Task<int> SweepAsync(Func<string, CancellationToken, Task<bool>> kept, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddHours(-options.Value.AbandonedAfterHours);
        var deleted = 0;
        await foreach (var item in Container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var id = Path.GetFileNameWithoutExtension(item.Name);
            if (item.Properties.CreatedOn is { } created && created < cutoff && !await kept(id, cancellationToken))
            {
                await DeleteAsync(id, cancellationToken);
                deleted++;
            }
        }
        return deleted;
    }

    private async Task<Uri> SasAsync(BlobClient blob, BlobSasPermissions permissions, DateTimeOffset expiresOn, string? contentDisposition, CancellationToken cancellationToken)
    {
        var builder = new BlobSasBuilder
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = time.GetUtcNow() - ClockSkew,
            ExpiresOn = expiresOn,
            ContentDisposition = contentDisposition,
            // HTTPS only wherever the service speaks it (Azurite, locally, is plain HTTP).
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        builder.SetPermissions(permissions);
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(builder); // signed with the account key: Azurite, locally and in tests
        }
        var key = await DelegationKeyAsync(expiresOn, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, storage.Blobs.AccountName) }.ToUri();
    }

    /// <summary>A user delegation key (valid a day) reused while it outlives the SAS it signs.</summary>
    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (_key is { } key && key.SignedExpiresOn >= until)
        {
            return key;
        }
        var now = time.GetUtcNow();
        var fresh = (await storage.Blobs.GetUserDelegationKeyAsync(now - ClockSkew, now.AddDays(1), cancellationToken)).Value;
        _key = fresh;
        return fresh;
    }

    private static ValidationException Invalid(string detail) =>
        new(detail) { Errors = new Dictionary<string, string[]> { ["uploadId"] = [detail] } };
}

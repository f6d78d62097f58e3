using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using Newsroom.Storage;
using Newsroom.Time;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Newsroom.Uploads;

/// <summary>Where and how the editor's browser writes a PDF: PUT the file to <see cref="UploadUrl"/> with <see cref="Headers"/>, before <see cref="ExpiresAt"/>.</summary>
public sealed record PdfUploadTicket(string UploadId, Uri UploadUrl, DateTimeOffset ExpiresAt, long MaxBytes, IReadOnlyDictionary<string, string> Headers);

/// <summary>An uploaded PDF that passed the checks: its blob, size, page count and the text of each page (empty where a page is only pictures).</summary>
public sealed record PdfFile(string BlobName, long Bytes, int Pages, IReadOnlyList<string> PageText);

/// <summary>Says whether an upload is kept by a record of its kind (a print issue, a legal document's attachment); the sweep deletes what none keeps.</summary>
public interface IUploadKeeper
{
    /// <param name="uploadId">The upload.</param>
    /// <param name="owner">The owner <see cref="PdfUploads.AcceptAsync"/> wrote on it, if anything.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<bool> KeepsAsync(string uploadId, string? owner, CancellationToken cancellationToken);
}

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

    /// <summary>More text than this on one page is not a newspaper page's: the rest is not indexed.</summary>
    public const int MaxPageText = 50_000;

    private const string OwnerMetadata = "owner";

    private BlobContainerClient Container => storage.Container(StorageNames.UploadsContainerName);
    private volatile UserDelegationKey? _key;

    public static string BlobName(string uploadId) => uploadId + ".pdf";

    /// <summary>The text of each page, kept beside the PDF so that an index can be filled again without parsing it.</summary>
    private static string TextBlobName(string uploadId) => uploadId + ".pages.json";

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
    /// Checks the uploaded file of <paramref name="uploadId"/> for <paramref name="owner"/> ("print", "article:{id}"):
    /// there, at most <see cref="UploadOptions.MaxPdfBytes"/>, a PDF by its bytes, every page parsed; then writes the
    /// owner on it, which the sweep asks (<see cref="IUploadKeeper"/>). A file that fails is deleted and the problem says
    /// why (413, 415, 422); a file another record owns is refused (409) and left alone.
    /// </summary>
    public async Task<PdfFile> AcceptAsync(string uploadId, string owner, CancellationToken cancellationToken)
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
        if (properties.Metadata.TryGetValue(OwnerMetadata, out var claimed) && claimed != owner)
        {
            throw new ConflictException($"The upload '{uploadId}' is already the PDF of another record ({claimed}). Upload the file again for this one.");
        }
        var max = options.Value.MaxPdfBytes;
        if (properties.ContentLength > max)
        {
            await DeleteAsync(uploadId, cancellationToken);
            throw new PayloadTooLargeException($"The file is {properties.ContentLength:N0} bytes; a PDF may be at most {max:N0} bytes. It was deleted: upload a smaller file (compress its images).");
        }
        try
        {
            var text = await InspectAsync(blob, uploadId, cancellationToken);
            // Claimed only if unchanged since it was read: a file replaced meanwhile was not the one checked.
            await blob.SetMetadataAsync(new Dictionary<string, string> { [OwnerMetadata] = owner }, new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken);
            return new PdfFile(BlobName(uploadId), properties.ContentLength, text.Count, text);
        }
        catch (NewsroomException)
        {
            await DeleteAsync(uploadId, CancellationToken.None);
            throw;
        }
    }

    /// <summary><see cref="Inspect"/> of the blob, downloaded to a temp file of this call's own (two checks of one upload never share one).</summary>
    private static async Task<IReadOnlyList<string>> InspectAsync(BlobClient blob, string uploadId, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"newsroom-pdf-{uploadId}-{Path.GetRandomFileName()}");
        try
        {
            await blob.DownloadToAsync(path, cancellationToken);
            return Inspect(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The text of each page of the PDF at <paramref name="path"/>, or 415 (not a PDF) / 422 (damaged, truncated, empty).</summary>
    internal static IReadOnlyList<string> Inspect(string path)
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
            var pages = new List<string>(document.NumberOfPages);
            for (var number = 1; number <= document.NumberOfPages; number++)
            {
                // Every page's dictionary and content must parse; its words, in the order they are drawn, are what search finds.
                pages.Add(PlainText(ContentOrderTextExtractor.GetText(document.GetPage(number))));
            }
            return pages.Count > 0 ? pages : throw Invalid("The PDF has no pages. It was deleted.");
        }
        catch (Exception e) when (e is not NewsroomException)
        {
            throw Invalid($"The PDF cannot be read ({e.Message.TrimEnd('.')}): it may be truncated or damaged. It was deleted: export it again and upload the whole file.");
        }
    }

    /// <summary>Whitespace runs made one space, NFC, at most <see cref="MaxPageText"/> characters.</summary>
    private static string PlainText(string text)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim().Normalize(System.Text.NormalizationForm.FormC);
        return plain.Length <= MaxPageText ? plain : plain[..MaxPageText];
    }

    /// <summary>Keeps the text of each page of an upload beside it (written before the record that keeps the upload).</summary>
    public async Task SaveTextAsync(string uploadId, IReadOnlyList<string> pages, CancellationToken cancellationToken)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(pages);
        await Container.GetBlobClient(TextBlobName(uploadId)).UploadAsync(new BinaryData(json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken);
    }

    /// <summary>
    /// The text of each page of an upload, from beside it; where it was never kept (an issue published before text was),
    /// parsed from the PDF again and kept. Null when the PDF is gone.
    /// </summary>
    public async Task<IReadOnlyList<string>?> TextAsync(string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            var kept = await Container.GetBlobClient(TextBlobName(uploadId)).DownloadContentAsync(cancellationToken);
            return kept.Value.Content.ToObjectFromJson<string[]>() ?? [];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        try
        {
            var text = await InspectAsync(Container.GetBlobClient(BlobName(uploadId)), uploadId, cancellationToken);
            await SaveTextAsync(uploadId, text, cancellationToken);
            return text;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the uploaded file of <paramref name="uploadId"/> and the text kept beside it (gone already is fine).</summary>
    public async Task DeleteAsync(string uploadId, CancellationToken cancellationToken)
    {
        await Container.DeleteBlobIfExistsAsync(BlobName(uploadId), cancellationToken: cancellationToken);
        await Container.DeleteBlobIfExistsAsync(TextBlobName(uploadId), cancellationToken: cancellationToken);
    }

    /// <summary>Deletes the uploads older than <see cref="UploadOptions.AbandonedAfterHours"/> that no keeper keeps, with what was kept beside them.</summary>
    public async Task<int> SweepAsync(IEnumerable<IUploadKeeper> keepers, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddHours(-options.Value.AbandonedAfterHours);
        // By upload: its PDF (with the owner written on it) decides; text left without its PDF goes.
        var uploads = new Dictionary<string, BlobItem>(StringComparer.Ordinal);
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
        {
            var id = item.Name.Split('.')[0];
            if (!uploads.ContainsKey(id) || item.Name == BlobName(id))
            {
                uploads[id] = item;
            }
        }
        var deleted = 0;
        foreach (var (id, item) in uploads)
        {
            if (item.Properties.CreatedOn is not { } created || created >= cutoff)
            {
                continue;
            }
            var owner = item.Metadata is { } metadata && metadata.TryGetValue(OwnerMetadata, out var claimed) ? claimed : null;
            var kept = false;
            foreach (var keeper in keepers)
            {
                kept = kept || await keeper.KeepsAsync(id, owner, cancellationToken);
            }
            if (!kept)
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

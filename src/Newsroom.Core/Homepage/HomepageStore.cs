using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Homepage;

/// <summary>What the metadata of the published snapshot says: its version, the time its data was read, a content hash.</summary>
public sealed record SnapshotInfo(long Version, DateTimeOffset AsOf, string ContentHash, ETag ETag)
{
    internal static SnapshotInfo From(IDictionary<string, string> metadata, ETag etag) => new(
        long.Parse(metadata["version"], CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(metadata["asof"], CultureInfo.InvariantCulture),
        metadata["contenthash"],
        etag);
}

/// <summary>The published snapshot as stored: its bytes and what its metadata says.</summary>
public sealed record StoredSnapshot(byte[] Body, SnapshotInfo Info)
{
    public long Version => Info.Version;
    public DateTimeOffset AsOf => Info.AsOf;
    public ETag ETag => Info.ETag;
}

/// <summary>
/// The homepage container: layout.json (editors' pins) and current.json (the published snapshot). Every
/// write is conditional on the ETag read before it, so two racing rebuilds or two editors can never
/// overwrite each other blindly.
/// </summary>
public sealed class HomepageStore(StorageClients storage)
{
    public const string LayoutBlob = "layout.json";
    public const string SnapshotBlob = "current.json";

    /// <summary>The ETag editors see for a layout that was never saved.</summary>
    public const string InitialLayoutETag = "\"initial\"";

    private BlobContainerClient Container => storage.Container(StorageNames.HomepageContainerName);

    public async Task<(HomepageLayout Layout, string ETag)> GetLayoutAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await Container.GetBlobClient(LayoutBlob).DownloadContentAsync(cancellationToken);
            return (content.Value.Content.ToObjectFromJson<HomepageLayout>(NewsroomJson.Stored)!, content.Value.Details.ETag.ToString("H"));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (HomepageLayout.Empty, InitialLayoutETag);
        }
    }

    /// <summary>Saves the layout if it is still at <paramref name="ifMatch"/>; returns the new ETag.</summary>
    public async Task<string> SaveLayoutAsync(HomepageLayout layout, string ifMatch, CancellationToken cancellationToken)
    {
        var conditions = ifMatch == InitialLayoutETag
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : new BlobRequestConditions { IfMatch = new ETag(ifMatch) };
        try
        {
            var response = await Container.GetBlobClient(LayoutBlob).UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(layout, NewsroomJson.Stored)),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
            return response.Value.ETag.ToString("H");
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new PreconditionFailedException(
                $"The homepage layout was changed by someone else since you read it (your If-Match {ifMatch} is stale). GET /api/homepage/layout again and reapply your change.");
        }
    }

    public async Task<StoredSnapshot?> GetSnapshotAsync(CancellationToken cancellationToken) =>
        await GetSnapshotIfChangedAsync(null, cancellationToken) is { } result ? result : null;

    /// <summary>The snapshot, or null if there is none or it still has <paramref name="known"/> (a cheap 304).</summary>
    public async Task<StoredSnapshot?> GetSnapshotIfChangedAsync(ETag? known, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Container.GetBlobClient(SnapshotBlob).DownloadContentAsync(
                new BlobDownloadOptions { Conditions = known is { } etag ? new BlobRequestConditions { IfNoneMatch = etag } : null },
                cancellationToken);
            var details = content.Value.Details;
            if (content.GetRawResponse().Status == 304)
            {
                return null;
            }
            return new StoredSnapshot(content.Value.Content.ToArray(), SnapshotInfo.From(details.Metadata, details.ETag));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 304)
        {
            return null;
        }
    }

    /// <summary>The snapshot's metadata without its body (a properties read), or null if there is none.</summary>
    public async Task<SnapshotInfo?> GetSnapshotInfoAsync(CancellationToken cancellationToken)
    {
        try
        {
            var properties = await Container.GetBlobClient(SnapshotBlob).GetPropertiesAsync(cancellationToken: cancellationToken);
            return SnapshotInfo.From(properties.Value.Metadata, properties.Value.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Records that the published snapshot, unchanged, reflects the data as of <paramref name="asOf"/> (a
    /// metadata write), so requests older than that are recognised as covered. False if the snapshot
    /// changed since <paramref name="current"/> was read.
    /// </summary>
    public async Task<bool> MarkFreshAsync(SnapshotInfo current, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        try
        {
            await Container.GetBlobClient(SnapshotBlob).SetMetadataAsync(Metadata(current.Version, asOf, current.ContentHash),
                new BlobRequestConditions { IfMatch = current.ETag }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    private static Dictionary<string, string> Metadata(long version, DateTimeOffset asOf, string contentHash) => new()
    {
        ["version"] = version.ToString(CultureInfo.InvariantCulture),
        ["asof"] = asOf.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        ["contenthash"] = contentHash,
    };

    /// <summary>Writes a snapshot if current.json is still at <paramref name="ifMatch"/> (null: if there is none yet).</summary>
    public async Task<bool> TryPublishSnapshotAsync(byte[] body, long version, DateTimeOffset asOf, string contentHash, ETag? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            await Container.GetBlobClient(SnapshotBlob).UploadAsync(new BinaryData(body), new BlobUploadOptions
            {
                Conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },
                Metadata = Metadata(version, asOf, contentHash),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}

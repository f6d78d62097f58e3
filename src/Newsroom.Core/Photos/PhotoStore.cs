using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>A photo accepted but not yet finished, as its pending mark says: when its job was last sent and how often it was sent again.</summary>
public sealed record PendingPhoto(string Id, string OriginalBlob, DateTimeOffset SentAt, int Resends, ETag ETag);

/// <summary>
/// Photo records in the photos table (PartitionKey = id, RowKey = "photo"). Rendition URLs are stored as
/// blob names and made absolute when read, against Photos:PublicBaseUrl (a CDN) or the renditions
/// container itself, so moving renditions behind a CDN, or Azurite to another port, needs no reprocessing. Photos not yet finished also have a row in the "pending" partition.
/// </summary>
public sealed class PhotoStore(StorageClients storage, Microsoft.Extensions.Options.IOptions<PhotoOptions> options)
{
    private const string RowKey = "photo";

    // No photo has these ids (they are "p" and hex digits, or "demo-photo-…"), so these partitions are never a photo's own.
    private const string PendingPartition = "pending";

    private TableClient Table => storage.Table(StorageNames.PhotosTableName);

    public async Task<(PhotoRecord Photo, ETag ETag)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(id, RowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }
        var stored = JsonSerializer.Deserialize<PhotoRecord>(entity.GetString("Record")!, NewsroomJson.Stored)!;
        var photo = stored with
        {
            OriginalBlob = entity.GetString(nameof(PhotoRecord.OriginalBlob)),
            ContentHash = entity.GetString(nameof(PhotoRecord.ContentHash)),
            Renditions = [.. stored.Renditions.Select(Public)],
        };
        return (photo, entity.ETag);
    }

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken) => await GetAsync(id, cancellationToken) is not null;

    public Task InsertAsync(PhotoRecord photo, CancellationToken cancellationToken) =>
        Table.AddEntityAsync(ToEntity(photo), cancellationToken);

    /// <summary>Replaces the record if it is still at <paramref name="etag"/>; false if someone else changed it.</summary>
    public async Task<bool> TryReplaceAsync(PhotoRecord photo, ETag etag, CancellationToken cancellationToken) =>
        await ReplaceIfAsync(photo, etag, cancellationToken) is not null;

    /// <summary>Replaces the record if it still has <paramref name="etag"/>: its new ETag, or null when another write came first.</summary>
    public async Task<ETag?> ReplaceIfAsync(PhotoRecord photo, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            return (await Table.UpdateEntityAsync(ToEntity(photo), etag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks a photo as accepted and not yet finished, before anything else of it is written: the sweep finds
    /// every photo that a crash, a lost job or a worker that died on its last attempt left unfinished by
    /// reading this one partition, never the whole table.
    /// </summary>
    public async Task<PendingPhoto> MarkPendingAsync(string id, string originalBlob, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PendingPartition, id)
        {
            [nameof(PendingPhoto.OriginalBlob)] = originalBlob,
            [nameof(PendingPhoto.SentAt)] = at,
            [nameof(PendingPhoto.Resends)] = 0,
        };
        var response = await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return new PendingPhoto(id, originalBlob, at, 0, response.Headers.ETag ?? ETag.All);
    }

    /// <summary>Photos marked pending whose job was last sent at or before <paramref name="sentBefore"/>.</summary>
    public async Task<IReadOnlyList<PendingPhoto>> PendingAsync(DateTimeOffset sentBefore, int max, CancellationToken cancellationToken)
    {
        var found = new List<PendingPhoto>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPartition} and SentAt le {sentBefore.UtcDateTime}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            found.Add(new PendingPhoto(e.RowKey, e.GetString(nameof(PendingPhoto.OriginalBlob)) ?? "", e.GetDateTimeOffset(nameof(PendingPhoto.SentAt)) ?? DateTimeOffset.MinValue,
                e.GetInt32(nameof(PendingPhoto.Resends)) ?? 0, e.ETag));
            if (found.Count == max)
            {
                break;
            }
        }
        return found;
    }

    /// <summary>Records that the job was sent again; false if someone else (another sweep) did so first.</summary>
    public async Task<bool> TryRecordResendAsync(PendingPhoto pending, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(PendingPartition, pending.Id)
            {
                [nameof(PendingPhoto.OriginalBlob)] = pending.OriginalBlob,
                [nameof(PendingPhoto.SentAt)] = at,
                [nameof(PendingPhoto.Resends)] = pending.Resends + 1,
            }, pending.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The photo is finished (ready or failed) or gone: it needs no more watching.</summary>
    public async Task ClearPendingAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(PendingPartition, id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Lists the photo in the library (newest first); written at upload and again when its status settles.</summary>
    public Task UpsertLibraryAsync(PhotoRecord photo, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(LibraryPartition, LibraryRowKey(photo)) { ["PhotoId"] = photo.Id }, TableUpdateMode.Replace, cancellationToken);

    public async Task DeleteLibraryAsync(PhotoRecord photo, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(LibraryPartition, LibraryRowKey(photo), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>A page of the library, newest upload first: photo ids and the row key to continue after.</summary>
    public async Task<IReadOnlyList<(string RowKey, string PhotoId)>> LibraryAsync(string? afterRowKey, int take, CancellationToken cancellationToken)
    {
        var filter = afterRowKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {LibraryPartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {LibraryPartition} and RowKey gt {afterRowKey}");
        var rows = new List<(string, string)>(take);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken))
        {
            rows.Add((e.RowKey, e.GetString("PhotoId") ?? ""));
            if (rows.Count == take)
            {
                break;
            }
        }
        return rows;
    }

    public const string LibraryPartition = "library";

    private static string LibraryRowKey(PhotoRecord photo) =>
        (DateTimeOffset.MaxValue.UtcTicks - photo.CreatedAt.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "_" + photo.Id;

    /// <summary>The row of a photo's partition that says an article shows it.</summary>
    public static string UsageRowKey(string articleId) => UsagePrefix + articleId;

    private const string UsagePrefix = "usedby-";

    /// <summary>Records that <paramref name="article"/> shows the photo (kept by the article indexer).</summary>
    public async Task UpsertUsageAsync(string photoId, Article article, CancellationToken cancellationToken)
    {
        if (!IsId(photoId))
        {
            return;
        }
        await Table.UpsertEntityAsync(new TableEntity(photoId, UsageRowKey(article.Id)) { ["Title"] = article.Title }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteUsageAsync(string photoId, string rowKey, CancellationToken cancellationToken)
    {
        if (!IsId(photoId))
        {
            return;
        }
        try
        {
            await Table.DeleteEntityAsync(photoId, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>The ids of the articles that show the photo, in any state.</summary>
    public async Task<IReadOnlyList<string>> UsedByAsync(string photoId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (!IsId(photoId))
        {
            return ids;
        }
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {photoId} and RowKey ge {UsagePrefix} and RowKey lt {"usedby."}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(e.RowKey[UsagePrefix.Length..]);
        }
        return ids;
    }

    private static bool IsId(string id) => !string.IsNullOrEmpty(id) && id.Length <= 64 && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(id, RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// A rendition as stored rows keep it (the photo's record, a listing's teaser, an article's page): its blob
    /// name, so that a new public base URL (a CDN, a custom domain) applies to what was stored before it.
    /// </summary>
    public Rendition Stored(Rendition rendition) =>
        rendition.Url.StartsWith(PublicBaseUrl + "/", StringComparison.Ordinal) ? rendition with { Url = rendition.Url[(PublicBaseUrl.Length + 1)..] } : rendition;

    /// <summary>A rendition as <see cref="Stored"/> keeps it, with the URL readers fetch it from.</summary>
    public Rendition Public(Rendition rendition) =>
        rendition.Url.Contains("://", StringComparison.Ordinal) ? rendition : rendition with { Url = $"{PublicBaseUrl}/{rendition.Url}" };

    private string PublicBaseUrl => (options.Value.PublicBaseUrl ?? storage.Container(StorageNames.RenditionsContainerName).Uri).ToString().TrimEnd('/');

    private TableEntity ToEntity(PhotoRecord photo) => new(photo.Id, RowKey)
    {
        ["Record"] = JsonSerializer.Serialize(photo with { Renditions = [.. photo.Renditions.Select(Stored)] }, NewsroomJson.Stored),
        [nameof(PhotoRecord.Status)] = photo.Status.ToString(),
        [nameof(PhotoRecord.OriginalBlob)] = photo.OriginalBlob,
        [nameof(PhotoRecord.ContentHash)] = photo.ContentHash,
    };
}

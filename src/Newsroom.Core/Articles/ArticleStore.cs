using System.Net;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Newsroom.Storage;

namespace Newsroom.Articles;

/// <summary>An article with the entity tag of its stored version (the editors' If-Match).</summary>
public sealed record StoredArticle(Article Article, string ETag);

/// <summary>Who changed an article, how ("created", "edited", "submitted", …) and with what note.</summary>
public sealed record ArticleChange(Identity.DeskActor By, string Action, string? Note = null)
{
    public static readonly ArticleChange Saved = new(Identity.DeskActor.System, "saved");
}

/// <summary>One line of an article's history: the revision it made, when, by whom, what, to which state, with what note.</summary>
public sealed record HistoryEntry(int Revision, DateTimeOffset At, Identity.DeskActor By, string Action, ArticleStatus Status, string? Note);

/// <summary>
/// Articles in Table Storage. An article is one entity (PartitionKey = id, RowKey = "article") holding the
/// whole document, compressed and chunked (<see cref="DocumentCodec"/>), so a read is a single point read
/// however long the body; a document past the entity limit goes to the article-documents container
/// (content-addressed, kept: it is also that version's revision). Beside it in the same partition: every
/// version ("rev-n") and the history of changes ("his-…", newest first), written in the same transaction as
/// the article. Slugs live in their own table (<see cref="ArticleSlugs"/>).
/// </summary>
public sealed class ArticleStore(StorageClients storage)
{
    internal const string ArticleRowKey = "article";

    private TableClient Articles => storage.Table(StorageNames.ArticlesTableName);

    /// <summary>Every article's id, in id order, after <paramref name="after"/> when given (only the keys are read).</summary>
    public async IAsyncEnumerable<string> IdsAsync(string? after, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = after is null
            ? TableClient.CreateQueryFilter($"RowKey eq {ArticleRowKey}")
            : TableClient.CreateQueryFilter($"PartitionKey gt {after} and RowKey eq {ArticleRowKey}");
        await foreach (var e in Articles.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            yield return e.PartitionKey;
        }
    }

    public async Task<StoredArticle?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await Articles.GetEntityIfExistsAsync<TableEntity>(id, ArticleRowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }
        var compressed = DocumentCodec.ReadInline(entity) ?? await ReadOverflowAsync(entity, cancellationToken);
        return new StoredArticle(DocumentCodec.Decompress<Article>(compressed), entity.ETag.ToString());
    }

    /// <summary>Inserts a new article; fails with a conflict if the id exists.</summary>
    public Task<string> InsertAsync(Article article, CancellationToken cancellationToken, ArticleChange? change = null) =>
        WriteAsync(article, ifMatch: null, change ?? ArticleChange.Saved, cancellationToken);

    /// <summary>Replaces the article if its stored version still has <paramref name="ifMatch"/>; else 412.</summary>
    public Task<string> ReplaceAsync(Article article, string ifMatch, CancellationToken cancellationToken, ArticleChange? change = null) =>
        WriteAsync(article, ifMatch, change ?? ArticleChange.Saved, cancellationToken);

    /// <summary>
    /// Writes the article, its revision (this version, kept for good) and the history entry of the change in
    /// one entity-group transaction: the article never changes without its record, and a refused write
    /// records nothing.
    /// </summary>
    private async Task<string> WriteAsync(Article article, string? ifMatch, ArticleChange change, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(article.Id, ArticleRowKey)
        {
            [nameof(Article.Slug)] = article.Slug,
            [nameof(Article.Title)] = article.Title,
            [nameof(Article.Status)] = article.Status.ToString(),
            [nameof(Article.PublishedAt)] = article.PublishedAt,
            [nameof(Article.UpdatedAt)] = article.UpdatedAt,
            [nameof(Article.Revision)] = article.Revision,
        };
        var compressed = DocumentCodec.Compress(article);
        var createdBlob = DocumentCodec.TryWriteInline(entity, compressed)
            ? null
            : await WriteOverflowAsync(entity, article.Id, compressed, cancellationToken);
        var revision = new TableEntity(article.Id, RevisionRowKey(article.Revision));
        if (entity.GetString(DocumentCodec.BlobProperty) is { } blob)
        {
            revision[DocumentCodec.BlobProperty] = blob; // content-addressed: the version's blob stays as its revision
        }
        else
        {
            DocumentCodec.TryWriteInline(revision, compressed);
        }
        var history = new TableEntity(article.Id, HistoryRowKey(article.UpdatedAt))
        {
            [nameof(HistoryEntry.Revision)] = article.Revision,
            [nameof(HistoryEntry.At)] = article.UpdatedAt,
            ["ById"] = change.By.Id,
            ["ByName"] = change.By.Name,
            [nameof(HistoryEntry.Action)] = change.Action,
            [nameof(HistoryEntry.Status)] = article.Status.ToString(),
            [nameof(HistoryEntry.Note)] = change.Note,
        };
        try
        {
            var response = await Articles.SubmitTransactionAsync(
            [
                ifMatch is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(ifMatch)),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, revision),
                new TableTransactionAction(TableTransactionActionType.Add, history),
            ], cancellationToken);
            return response.Value[0].Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table service returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            if (createdBlob is not null)
            {
                // Nothing references the overflow blob we just created: remove it rather than leave an orphan.
                await storage.Container(StorageNames.ArticleDocumentsContainerName).DeleteBlobIfExistsAsync(createdBlob, cancellationToken: CancellationToken.None);
            }
            throw e.Status switch
            {
                (int)HttpStatusCode.Conflict => new ConflictException($"An article with id '{article.Id}' already exists."),
                (int)HttpStatusCode.NotFound => new NotFoundException($"No article with id '{article.Id}'."),
                _ => Stale(article.Id, ifMatch!),
            };
        }
    }

    /// <summary>The article as it was at revision <paramref name="revision"/>, or null.</summary>
    public async Task<Article?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken)
    {
        if (revision < 0 || string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return null;
        }
        var response = await Articles.GetEntityIfExistsAsync<TableEntity>(id, RevisionRowKey(revision), cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }
        var compressed = DocumentCodec.ReadInline(entity) ?? await ReadOverflowAsync(entity, cancellationToken);
        return DocumentCodec.Decompress<Article>(compressed);
    }

    /// <summary>Every change of the article, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string id, CancellationToken cancellationToken)
    {
        var entries = new List<HistoryEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {HistoryPrefix} and RowKey lt {HistoryEnd}");
        await foreach (var e in Articles.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            entries.Add(new HistoryEntry(
                e.GetInt32(nameof(HistoryEntry.Revision)) ?? 0,
                e.GetDateTimeOffset(nameof(HistoryEntry.At)) ?? DateTimeOffset.MinValue,
                new Identity.DeskActor(e.GetString("ById") ?? "", e.GetString("ByName") ?? ""),
                e.GetString(nameof(HistoryEntry.Action)) ?? "",
                Enum.TryParse<ArticleStatus>(e.GetString(nameof(HistoryEntry.Status)), out var status) ? status : ArticleStatus.Draft,
                e.GetString(nameof(HistoryEntry.Note))));
        }
        return entries;
    }

    private const string HistoryPrefix = "his-";
    private const string HistoryEnd = "his.";

    internal static string RevisionRowKey(int revision) => "rev-" + revision.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Newest first, and unique even for two changes in the same tick.</summary>
    private static string HistoryRowKey(DateTimeOffset at) =>
        HistoryPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture)
        + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The refusal of a write whose If-Match names a version that is no longer current.</summary>
    public static PreconditionFailedException Stale(string id, string ifMatch) =>
        new($"Article '{id}' was changed by someone else since you read it (your If-Match {ifMatch} is stale). GET it again, reapply your edit, and retry with the new ETag.");

    private async Task<string?> WriteOverflowAsync(TableEntity entity, string id, byte[] compressed, CancellationToken cancellationToken)
    {
        // Content-addressed, so a retried write reuses the same blob instead of adding another.
        var name = $"{id}/{Convert.ToHexStringLower(SHA256.HashData(compressed))}.json.br";
        entity[DocumentCodec.BlobProperty] = name;
        var blob = storage.Container(StorageNames.ArticleDocumentsContainerName).GetBlobClient(name);
        try
        {
            await blob.UploadAsync(new BinaryData(compressed), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json", ContentEncoding = "br" },
            }, cancellationToken);
            return name;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return null; // Already there from an earlier write: not ours to clean up.
        }
    }

    private async Task<byte[]> ReadOverflowAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var name = entity.GetString(DocumentCodec.BlobProperty)
            ?? throw new InvalidDataException($"Article entity '{entity.PartitionKey}' has no document.");
        var content = await storage.Container(StorageNames.ArticleDocumentsContainerName).GetBlobClient(name)
            .DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToArray();
    }
}

using System.Net;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Newsroom.Storage;

namespace Newsroom.Articles;

/// <summary>An article with the entity tag of its stored version (the editors' If-Match).</summary>
public sealed record StoredArticle(Article Article, string ETag);

/// <summary>
/// Articles in Table Storage. An article is one entity (PartitionKey = id, RowKey = "article") holding the
/// whole document, compressed and chunked (<see cref="DocumentCodec"/>), so a read is a single point read
/// however long the body; a document past the entity limit goes to the article-documents container.
/// Slugs live in their own table (<see cref="ArticleSlugs"/>).
/// </summary>
public sealed class ArticleStore(StorageClients storage)
{
    internal const string ArticleRowKey = "article";

    private TableClient Articles => storage.Table(StorageNames.ArticlesTableName);

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
    public Task<string> InsertAsync(Article article, CancellationToken cancellationToken) =>
        WriteAsync(article, ifMatch: null, cancellationToken);

    /// <summary>Replaces the article if its stored version still has <paramref name="ifMatch"/>; else 412.</summary>
    public Task<string> ReplaceAsync(Article article, string ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(article, ifMatch, cancellationToken);

    private async Task<string> WriteAsync(Article article, string? ifMatch, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(article.Id, ArticleRowKey)
        {
            [nameof(Article.Slug)] = article.Slug,
            [nameof(Article.Title)] = article.Title,
            [nameof(Article.Status)] = article.Status.ToString(),
            [nameof(Article.PublishedAt)] = article.PublishedAt,
            [nameof(Article.UpdatedAt)] = article.UpdatedAt,
        };
        var compressed = DocumentCodec.Compress(article);
        var createdBlob = DocumentCodec.TryWriteInline(entity, compressed)
            ? null
            : await WriteOverflowAsync(entity, article.Id, compressed, cancellationToken);
        try
        {
            var response = ifMatch is null
                ? await Articles.AddEntityAsync(entity, cancellationToken)
                : await Articles.UpdateEntityAsync(entity, new ETag(ifMatch), TableUpdateMode.Replace, cancellationToken);
            var etag = response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table service returned no ETag.");
            await DeleteStaleOverflowAsync(article.Id, entity.GetString(DocumentCodec.BlobProperty), cancellationToken);
            return etag;
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

    /// <summary>Removes overflow documents of earlier versions once the entity no longer points at them.</summary>
    private async Task DeleteStaleOverflowAsync(string id, string? current, CancellationToken cancellationToken)
    {
        var container = storage.Container(StorageNames.ArticleDocumentsContainerName);
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = id + "/" }, cancellationToken))
        {
            if (item.Name != current)
            {
                await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
            }
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

using Azure;
using Azure.Data.Tables;
using Newsroom.Articles;
using Newsroom.Storage;

namespace Newsroom.Reading;

/// <summary>
/// An article's page as a slug serves it: the article with its photos resolved (<see cref="Article"/>), or,
/// under one of its old slugs, the slug it has now (<see cref="MovedTo"/>). Readers may see it from <see cref="PublicFrom"/>.
/// </summary>
public sealed record ArticlePage(string ArticleId, int Revision, DateTimeOffset PublicFrom, Article? Article, string? MovedTo);

/// <summary>
/// Articles stored ready to serve, so that a reader's cache miss costs one storage read, a point read. Each slug
/// of a published or scheduled article has a "page" row in the slug's own partition of the slugs table, next to
/// the slug's claim (which keeps the slug the article's for as long as the article names it). The indexer keeps
/// the rows in step with the article (the same record-widen-write-narrow steps as its listing rows), so they
/// follow publish, edit, retitle, unpublish and crash repair; a page only ever replaces one of an older or equal
/// revision, so a late re-index cannot bring back text an edit removed. A slug without a page (an article indexed
/// before pages existed, one too large to keep inline) is served from the article itself.
/// </summary>
public sealed class ArticlePages(StorageClients storage)
{
    internal const string RowKey = "page";
    private const string ArticleIdProperty = "ArticleId";
    private const string RevisionProperty = "Revision";
    private const string PublicFromProperty = "PublicFrom";
    private const string MovedToProperty = "MovedTo";

    private TableClient Table => storage.Table(StorageNames.SlugsTableName);

    /// <summary>The page kept under <paramref name="slug"/>, if any.</summary>
    public async Task<ArticlePage?> GetAsync(string slug, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(slug, RowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? Read(entity) : null;
    }

    /// <summary>
    /// Writes the page of <paramref name="article"/> (as readers get it, photos resolved) under <paramref name="slug"/>:
    /// the article under its slug, a pointer to it under an old one. Idempotent.
    /// </summary>
    public async Task UpsertAsync(string slug, Article article, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(slug, RowKey)
        {
            [ArticleIdProperty] = article.Id,
            [RevisionProperty] = article.Revision,
            [PublicFromProperty] = article.PublishedAt ?? throw new InvalidOperationException($"Article '{article.Id}' has no publishedAt."),
        };
        if (slug != article.Slug)
        {
            entity[MovedToProperty] = article.Slug;
        }
        else
        {
            DocumentCodec.TryWriteInline(entity, DocumentCodec.Compress(article)); // too large: the row names the article only
        }
        for (var attempt = 0; ; attempt++)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(slug, RowKey, select: [ArticleIdProperty, RevisionProperty], cancellationToken: cancellationToken);
            var current = existing.HasValue ? existing.Value : null;
            if (current?.GetString(ArticleIdProperty) == article.Id && current.GetInt32(RevisionProperty) > article.Revision)
            {
                return; // a newer revision got here first
            }
            try
            {
                if (current is null)
                {
                    await Table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await Table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
            {
                // Written meanwhile: look again.
            }
        }
    }

    /// <summary>Deletes the page under <paramref name="slug"/> if it is the article's.</summary>
    public async Task DeleteAsync(string slug, string articleId, CancellationToken cancellationToken)
    {
        var existing = await Table.GetEntityIfExistsAsync<TableEntity>(slug, RowKey, select: [ArticleIdProperty], cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value is not { } row || row.GetString(ArticleIdProperty) != articleId)
        {
            return;
        }
        try
        {
            await Table.DeleteEntityAsync(slug, RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or rewritten by a newer index pass of the same article, which decides for itself.
        }
    }

    private static ArticlePage Read(TableEntity row) => new(
        row.GetString(ArticleIdProperty) ?? "",
        row.GetInt32(RevisionProperty) ?? 0,
        row.GetDateTimeOffset(PublicFromProperty) ?? DateTimeOffset.MaxValue,
        DocumentCodec.ReadInline(row) is { } compressed ? DocumentCodec.Decompress<Article>(compressed) : null,
        row.GetString(MovedToProperty));
}

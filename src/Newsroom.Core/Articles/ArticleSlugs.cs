using System.Net;
using Azure;
using Azure.Data.Tables;
using Newsroom.Storage;

namespace Newsroom.Articles;

/// <summary>A slug held for an article; <see cref="Created"/> when this claim made the row (and so may take it back).</summary>
public sealed record SlugClaim(string Slug, string ArticleId, bool Created);

/// <summary>
/// The slugs table (PartitionKey = slug): which article a slug leads to. A row is only a claim: a slug
/// belongs to an article when the article's stored document names it (as its slug or a previous one), so
/// a claim left by a write that failed or never finished is invisible to readers, and once it is older
/// than <see cref="ClaimGrace"/> the next article that wants the slug takes it over. Writes release their
/// claim when storage refuses them, so nothing is left behind in the ordinary case either.
/// </summary>
public sealed class ArticleSlugs(StorageClients storage, ArticleStore articles, TimeProvider time)
{
    internal const string SlugRowKey = "slug";
    private const string ClaimedAtProperty = "ClaimedAt";

    /// <summary>How long a claim by a write still in flight is respected although its article does not name it yet.</summary>
    public static readonly TimeSpan ClaimGrace = TimeSpan.FromMinutes(10);

    private TableClient Table => storage.Table(StorageNames.SlugsTableName);

    /// <summary>The id a slug's row points at; the caller checks that the article names the slug.</summary>
    public async Task<string?> FindIdAsync(string slug, CancellationToken cancellationToken) =>
        (await ReadAsync(slug, cancellationToken))?.GetString(nameof(Article.Id));

    /// <summary>
    /// Claims <paramref name="wanted"/> for the article, or the first free "wanted-2", "wanted-3", … A slug
    /// the article already holds is returned as is (not created), so a retried write claims nothing new.
    /// </summary>
    public async Task<SlugClaim> ClaimAsync(string wanted, string articleId, CancellationToken cancellationToken)
    {
        for (var n = 1; n < 1000; n++)
        {
            var candidate = n == 1 ? wanted : $"{wanted}-{n}";
            var row = await ReadAsync(candidate, cancellationToken);
            var owner = row?.GetString(nameof(Article.Id));
            if (owner == articleId)
            {
                return new SlugClaim(candidate, articleId, Created: false);
            }
            if (row is not null && await IsHeldAsync(row, candidate, cancellationToken))
            {
                continue;
            }
            var claim = new TableEntity(candidate, SlugRowKey)
            {
                [nameof(Article.Id)] = articleId,
                [ClaimedAtProperty] = time.GetUtcNow(),
            };
            try
            {
                if (row is null)
                {
                    await Table.AddEntityAsync(claim, cancellationToken);
                }
                else
                {
                    // A claim nobody completed: take it over, unless someone else just did.
                    await Table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                return new SlugClaim(candidate, articleId, Created: true);
            }
            catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                n--; // Taken or changed between our read and our write: look at this candidate again.
            }
        }
        throw new ConflictException($"No free slug near '{wanted}'; change the title.");
    }

    /// <summary>Gives a slug back if the article still holds it (a write that failed, a draft's old title).</summary>
    public async Task ReleaseAsync(string slug, string articleId, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(slug, cancellationToken);
        if (row?.GetString(nameof(Article.Id)) != articleId)
        {
            return;
        }
        try
        {
            await Table.DeleteEntityAsync(slug, SlugRowKey, row!.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or claimed anew: not ours to delete.
        }
    }

    /// <summary>True while the row's article names the slug, or its claim is young enough to belong to a write in flight.</summary>
    private async Task<bool> IsHeldAsync(TableEntity row, string slug, CancellationToken cancellationToken)
    {
        if (row.GetDateTimeOffset(ClaimedAtProperty) is { } claimedAt && time.GetUtcNow() - claimedAt < ClaimGrace)
        {
            return true;
        }
        var owner = row.GetString(nameof(Article.Id)) is { Length: > 0 } id ? await articles.GetAsync(id, cancellationToken) : null;
        return owner is not null && (owner.Article.Slug == slug || owner.Article.PreviousSlugs.Contains(slug));
    }

    private async Task<TableEntity?> ReadAsync(string slug, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(slug, SlugRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }
}

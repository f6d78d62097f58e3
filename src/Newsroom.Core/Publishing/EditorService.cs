using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.Json;
using Newsroom.Reading;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.Publishing;

/// <summary>
/// The HTTP entity tag of an article version: the table's ETag (weak-looking, with quotes and colons
/// inside) wrapped as a strong, opaque tag, so clients can echo it in If-Match as is.
/// </summary>
public static class ArticleETag
{
    public static string ToHttp(string storeETag) => "\"" + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(storeETag)) + "\"";

    /// <summary>The store ETag an If-Match names, or "" when it is not one of ours (never equal to a real one).</summary>
    public static string ToStore(string httpETag)
    {
        var tag = httpETag.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }
        tag = tag.Trim('"');
        return System.Buffers.Text.Base64Url.IsValid(tag) ? System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(tag)) : "";
    }
}

/// <summary>An editor's answer: the article rendered for editors, with the ETag to send back as If-Match.</summary>
public sealed record EditorResult(EditorArticleView Article, JsonPayload Payload, string ETag);

/// <summary>
/// The editors' workflow: create drafts, replace content (If-Match), publish now or at a time,
/// unpublish, read any state. Every write goes through <see cref="ArticleWriter"/>, and every change of
/// what readers see asks for a homepage rebuild.
/// </summary>
public sealed class EditorService(
    ArticleStore store,
    ArticleWriter writer,
    ArticleValidator validator,
    TaxonomyStore taxonomy,
    HomepageRebuildQueue rebuilds,
    ResponseCache readers,
    IOptions<StorageOptions> storage,
    TimeProvider time)
{
    public Task<EditorResult> CreateAsync(ArticleInput input, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        await validator.ValidateAsync(input, token);
        var now = time.GetUtcNow();
        var article = Apply(new Article { Id = NewId(now), Slug = "", Title = "", Category = "", CreatedAt = now }, input, now);
        return (null, await writer.CreateAsync(article, token));
    }, cancellationToken);

    public Task<EditorResult> GetAsync(string id, CancellationToken cancellationToken) =>
        StorageDeadline.RunAsync(WriteDeadline, async token => await RenderAsync(await LoadAsync(id, token), token), cancellationToken);

    public Task<EditorResult> ReplaceAsync(string id, ArticleInput input, string? ifMatch, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        var current = await LoadForWriteAsync(id, ifMatch, required: true, token);
        await validator.ValidateAsync(input, token);
        var next = Apply(current.Article, input, time.GetUtcNow());
        var stored = await writer.UpdateAsync(current.Article, next, current.ETag, token);
        if (stored.Article.IsPublicAt(time.GetUtcNow()) || current.Article.IsPublicAt(time.GetUtcNow()))
        {
            await rebuilds.RequestAsync("updated", id, null, token);
        }
        return (current.Article, stored);
    }, cancellationToken);

    /// <summary>Publishes now, or schedules for <paramref name="publishAt"/> (a time in the past means now).</summary>
    public Task<EditorResult> PublishAsync(string id, DateTimeOffset? publishAt, string? ifMatch, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        var current = await LoadForWriteAsync(id, ifMatch, required: false, token);
        var now = time.GetUtcNow();
        var article = current.Article;
        if (string.IsNullOrWhiteSpace(article.Title) || string.IsNullOrEmpty(article.Category))
        {
            throw new ConflictException("The article needs a title and a category before it can be published.");
        }
        var next = publishAt is { } at && at > now
            ? article with { Status = ArticleStatus.Scheduled, PublishAt = at, PublishedAt = at, UpdatedAt = now }
            : article with
            {
                Status = ArticleStatus.Published,
                PublishAt = now,
                // Republishing a live article keeps its original time and place in the listings.
                PublishedAt = article.IsPublicAt(now) ? article.PublishedAt : now,
                UpdatedAt = now,
            };
        var stored = await writer.UpdateAsync(article, next, current.ETag, token);
        await rebuilds.RequestAsync(next.Status == ArticleStatus.Scheduled ? "scheduled" : "published", id, next.PublishedAt, token);
        return (article, stored);
    }, cancellationToken);

    public Task<EditorResult> UnpublishAsync(string id, string? ifMatch, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        var current = await LoadForWriteAsync(id, ifMatch, required: false, token);
        var next = current.Article with { Status = ArticleStatus.Unpublished, UpdatedAt = time.GetUtcNow() };
        var stored = await writer.UpdateAsync(current.Article, next, current.ETag, token);
        await rebuilds.RequestAsync("unpublished", id, null, token);
        return (current.Article, stored);
    }, cancellationToken);

    private TimeSpan WriteDeadline => TimeSpan.FromSeconds(storage.Value.WriteDeadlineSeconds);

    /// <summary>
    /// Runs a write within the write deadline; then drops what this instance's readers had cached of the
    /// article before and after it, so the editor who acted (and anyone on this instance) sees the result at once.
    /// </summary>
    private Task<EditorResult> WriteAsync(Func<CancellationToken, Task<(Article? Before, StoredArticle After)>> write, CancellationToken cancellationToken) =>
        StorageDeadline.RunAsync(WriteDeadline, async token =>
        {
            var (before, after) = await write(token);
            var names = await taxonomy.GetAsync(token);
            readers.Invalidate([.. (before is null ? [] : ReaderTags.For(before, names)).Concat(ReaderTags.For(after.Article, names))]);
            return await RenderAsync(after, token);
        }, cancellationToken);

    private async Task<StoredArticle> LoadAsync(string id, CancellationToken cancellationToken) =>
        (IsId(id) ? await store.GetAsync(id, cancellationToken) : null)
        ?? throw new NotFoundException($"No article has the id '{id}'.");

    private async Task<StoredArticle> LoadForWriteAsync(string id, string? ifMatch, bool required, CancellationToken cancellationToken)
    {
        if (required && string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException(
                "Replacing an article needs an If-Match header with the ETag from your last GET /api/articles/{id}/draft, so that you do not overwrite someone else's edit.");
        }
        var current = await LoadAsync(id, cancellationToken);
        if (ifMatch is not null && ifMatch != "*" && ArticleETag.ToStore(ifMatch) != current.ETag)
        {
            throw ArticleStore.Stale(id, ifMatch);
        }
        return current;
    }

    private async Task<EditorResult> RenderAsync(StoredArticle stored, CancellationToken cancellationToken)
    {
        var view = EditorArticleView.From(stored.Article, await taxonomy.GetAsync(cancellationToken), time.GetUtcNow());
        return new EditorResult(view, JsonPayload.From(view), ArticleETag.ToHttp(stored.ETag));
    }

    private static Article Apply(Article article, ArticleInput input, DateTimeOffset now) => article with
    {
        Title = input.Title!.Trim(),
        Summary = input.Summary?.Trim() ?? "",
        Blocks = [.. (input.Blocks ?? []).Select(b => b is ImageBlock image ? image.Bare() : b)],
        Authors = input.Authors ?? [],
        Category = input.Category!,
        Events = [.. (input.Events ?? []).Distinct(StringComparer.Ordinal)],
        Tags = [.. (input.Tags ?? []).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)],
        LeadPhoto = input.LeadPhoto?.Bare(),
        UpdatedAt = now,
    };

    /// <summary>Time-ordered, URL-safe, unguessable: "a" + 12 hex digits of milliseconds + 10 random hex digits.</summary>
    private static string NewId(DateTimeOffset now) =>
        "a" + now.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

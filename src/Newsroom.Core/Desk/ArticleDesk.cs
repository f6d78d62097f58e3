using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Storage;
using Newsroom.Taxonomy;
using Newsroom.Time;

namespace Newsroom.Desk;

/// <summary>
/// The newsroom desk: reporters write, editors review and return or approve, publishers publish, schedule,
/// unpublish and correct (<see cref="DeskWorkflow"/> says who may do what from which state). Every write
/// goes through <see cref="ArticleWriter"/> with who did it and why, so the article's history and revisions
/// record it in the same transaction; every change of what readers see asks for a homepage rebuild and
/// drops this instance's cached copies at once.
/// </summary>
public sealed class ArticleDesk(
    ArticleStore store,
    ArticleWriter writer,
    ArticleValidator validator,
    ArticleReader readers,
    ArticleIndexer indexer,
    DeskIndex desk,
    TaxonomyStore taxonomy,
    HomepageRebuildQueue rebuilds,
    ResponseCache readerCache,
    IOptions<StorageOptions> storage,
    IOptions<ReaderOptions> readerOptions,
    TimeProvider time,
    Microsoft.Extensions.Logging.ILogger<ArticleDesk> log)
{
    public const int MaxNote = 2000;

    public Task<DeskResult> CreateAsync(DeskUser user, ArticleInput input, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        user.Require(DeskRole.Reporter, "write an article");
        var refs = await validator.ValidateAsync(input, token);
        var now = time.GetUtcNow();
        var article = Apply(new Article { Id = NewId(now), Slug = "", Title = "", Category = "", CreatedAt = now, Owner = user.Actor }, input, refs, now);
        return (null, await writer.CreateAsync(article, token, new ArticleChange(user.Actor, "created", Note(input.Note))));
    }, cancellationToken);

    public Task<DeskResult> GetAsync(DeskUser user, string id, CancellationToken cancellationToken) => ReadAsync(user, async token =>
        await RenderAsync(await LoadAsync(id, token), token), cancellationToken);

    /// <summary>Replaces the content (If-Match required); restoring a revision is this, with that revision's content.</summary>
    public Task<DeskResult> ReplaceAsync(DeskUser user, string id, ArticleInput input, string? ifMatch, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        var current = await LoadForWriteAsync(id, ifMatch, "Replacing an article", token);
        DeskWorkflow.Check(DeskAction.Edit, current.Article, user, time.GetUtcNow());
        var refs = await validator.ValidateAsync(input, token, current.Article);
        var next = Apply(current.Article, input, refs, time.GetUtcNow());
        var stored = await writer.UpdateAsync(current.Article, next, current.ETag, token, new ArticleChange(user.Actor, "edited", Note(input.Note)));
        if (stored.Article.IsPublicAt(time.GetUtcNow()) || current.Article.IsPublicAt(time.GetUtcNow()))
        {
            await rebuilds.RequestAsync("updated", id, null, token);
        }
        return (current.Article, stored);
    }, cancellationToken);

    public Task<DeskResult> SubmitAsync(DeskUser user, string id, string? ifMatch, string? note, CancellationToken cancellationToken) =>
        TransitionAsync(user, id, ifMatch, DeskAction.Submit, "submitted", Note(note),
            a => a with { Status = ArticleStatus.Submitted, ReturnNote = null }, cancellationToken);

    public Task<DeskResult> ReturnAsync(DeskUser user, string id, string? ifMatch, string? note, CancellationToken cancellationToken)
    {
        var reason = Note(note) ?? throw new ValidationException("Returning an article needs a note for its author: say what to change.")
        {
            Errors = new Dictionary<string, string[]> { ["note"] = ["Required when returning an article."] },
        };
        return TransitionAsync(user, id, ifMatch, DeskAction.Return, "returned", reason,
            a => a with { Status = ArticleStatus.Returned, ReturnNote = reason }, cancellationToken);
    }

    public Task<DeskResult> ApproveAsync(DeskUser user, string id, string? ifMatch, string? note, CancellationToken cancellationToken) =>
        TransitionAsync(user, id, ifMatch, DeskAction.Approve, "approved", Note(note),
            a => a with { Status = ArticleStatus.Approved }, cancellationToken);

    /// <summary>Publishes now, or schedules for <paramref name="publishAt"/> (a time in the past means now).</summary>
    public Task<DeskResult> PublishAsync(DeskUser user, string id, DateTimeOffset? publishAt, string? ifMatch, string? note, CancellationToken cancellationToken) => WriteAsync(async token =>
    {
        var current = await LoadForWriteAsync(id, ifMatch, ifMatchFor: null, token);
        var now = time.GetUtcNow();
        var article = current.Article;
        DeskWorkflow.Check(DeskAction.Publish, article, user, now);
        await validator.RequirePhotosAsync(article, token);
        var scheduled = publishAt is { } at && at > now;
        ArticleValidator.RequireLiveBeforeExpiry(article, scheduled ? publishAt!.Value : now);
        var next = scheduled
            ? article with { Status = ArticleStatus.Scheduled, PublishAt = publishAt, PublishedAt = publishAt, UpdatedAt = now }
            : article with
            {
                Status = ArticleStatus.Published,
                PublishAt = now,
                // Republishing an article readers saw keeps its original time and place in the listings.
                PublishedAt = article.PublishedAt is { } was && was <= now ? was : now,
                UpdatedAt = now,
            };
        var stored = await writer.UpdateAsync(article, next, current.ETag, token, new ArticleChange(user.Actor, scheduled ? "scheduled" : "published", Note(note)));
        await rebuilds.RequestAsync(scheduled ? "scheduled" : "published", id, next.PublishedAt, token);
        return (article, stored);
    }, cancellationToken);

    public Task<DeskResult> UnpublishAsync(DeskUser user, string id, string? ifMatch, string? note, CancellationToken cancellationToken) =>
        TransitionAsync(user, id, ifMatch, DeskAction.Unpublish, "unpublished", Note(note),
            a => a with { Status = ArticleStatus.Unpublished }, cancellationToken, rebuild: true);

    /// <summary>Attaches a dated correction notice ("Đính chính") that readers see with the article.</summary>
    public Task<DeskResult> CorrectAsync(DeskUser user, string id, string? text, string? ifMatch, CancellationToken cancellationToken)
    {
        var notice = Note(text) ?? throw new ValidationException("A correction needs its text.")
        {
            Errors = new Dictionary<string, string[]> { ["text"] = [$"Required; at most {MaxNote} characters."] },
        };
        return TransitionAsync(user, id, ifMatch, DeskAction.Correct, "corrected", notice,
            a => a with { Corrections = [.. a.Corrections, new Correction(time.GetUtcNow(), notice)] }, cancellationToken, rebuild: true);
    }

    /// <summary>
    /// Attaches a checked PDF to a legal document, or detaches it (null), as an edit on its record (If-Match as for any
    /// edit); what the article had attached before, for the caller to delete once this is stored.
    /// </summary>
    public async Task<(DeskResult Result, LegalAttachment? Before)> SetAttachmentAsync(DeskUser user, string id, LegalAttachment? attachment, string? ifMatch, CancellationToken cancellationToken)
    {
        LegalAttachment? before = null;
        var result = await TransitionAsync(user, id, ifMatch, DeskAction.Edit, attachment is null ? "detached its PDF" : "attached a PDF", null, a =>
        {
            before = a.Legal?.Attachment;
            return a with { Legal = RequireLegal(a) with { Attachment = attachment } };
        }, cancellationToken);
        return (result, before);
    }

    /// <summary>The article's legal record, or 422: only a legal document has a PDF attached.</summary>
    public static LegalDocument RequireLegal(Article article) => article.Legal ?? throw new ValidationException(
        $"The article '{article.Id}' is not a legal document: give it a legal record (number, type, issuer, signedAt) before attaching its PDF.")
    {
        Errors = new Dictionary<string, string[]> { ["legal"] = ["Required before a PDF is attached."] },
    };

    public Task<JsonPayload> HistoryAsync(DeskUser user, string id, CancellationToken cancellationToken) => ReadAsync(user, async token =>
    {
        var article = await LoadAsync(id, token);
        return JsonPayload.From(new HistoryView(article.Article.Id, await store.GetHistoryAsync(article.Article.Id, token)));
    }, cancellationToken);

    /// <summary>Revision <paramref name="revision"/> as the desk sees an article (PUT it back to restore it).</summary>
    public Task<JsonPayload> RevisionAsync(DeskUser user, string id, string revision, CancellationToken cancellationToken) => ReadAsync(user, async token =>
    {
        var current = await LoadAsync(id, token);
        var old = int.TryParse(revision, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? await store.GetRevisionAsync(current.Article.Id, n, token)
            : null;
        return old is null
            ? throw new NotFoundException($"Article '{id}' has no revision '{revision}'; it has revisions 1 to {current.Article.Revision} (see its history).")
            : JsonPayload.From(DeskArticleView.From(old, await taxonomy.GetAsync(token), time.GetUtcNow()));
    }, cancellationToken);

    /// <summary>The article exactly as readers will see it, whatever its state.</summary>
    public Task<JsonPayload> PreviewAsync(DeskUser user, string id, CancellationToken cancellationToken) => ReadAsync(user, async token =>
    {
        var article = await LoadAsync(id, token);
        return JsonPayload.From(await readers.RenderAsync(article.Article, time.GetUtcNow(), token));
    }, cancellationToken);

    /// <summary>A desk list: articles in <paramref name="state"/>, everyone's or the user's own, newest change first.</summary>
    public Task<JsonPayload> ListAsync(DeskUser user, string? state, string? author, string? limit, string? cursor, CancellationToken cancellationToken) => ReadAsync(user, async token =>
    {
        var status = ParseState(state);
        var partition = author switch
        {
            null or "" => DeskIndex.Partition(status),
            "me" => DeskIndex.Partition(status, user.Id),
            _ => throw new BadRequestException($"author can only be 'me' (your own articles); got '{author}'."),
        };
        var take = ListingReader.ParseLimit(limit, readerOptions.Value);
        var after = string.IsNullOrEmpty(cursor) ? null : ListingCursor.Decode(cursor, partition);
        var rows = await desk.ReadAsync(partition, after, take + 1, token);
        var names = await taxonomy.GetAsync(token);
        var items = rows.Take(take).Select(r => new DeskListItem(r.Teaser.Id, r.Teaser.Slug, r.Teaser.Title, r.Teaser.Status, r.Teaser.UpdatedAt,
            r.Teaser.Owner, ReaderViews.Category(r.Teaser.Category, names), r.Teaser.PublishAt, r.Teaser.Revision)).ToList();
        var next = rows.Count > take ? ListingCursor.Encode(partition, rows[take - 1].RowKey) : null;
        return JsonPayload.From(new DeskListPage(items, next));
    }, cancellationToken);

    /// <summary>
    /// Scheduled articles whose time has come become published, on record (by the system). Readers already
    /// see them at their time; this keeps the desk lists and the history true. Reads only the scheduled list.
    /// </summary>
    public async Task<int> PublishDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var promoted = 0;
        foreach (var (_, teaser) in await desk.ReadAsync(DeskIndex.Partition(ArticleStatus.Scheduled), null, 1000, cancellationToken))
        {
            if (teaser.PublishAt is not { } at || at > now || await store.GetAsync(teaser.Id, cancellationToken) is not { } current
                || current.Article.Status != ArticleStatus.Scheduled || !current.Article.IsPublicAt(now))
            {
                continue;
            }
            try
            {
                await writer.UpdateAsync(current.Article, current.Article with { Status = ArticleStatus.Published, UpdatedAt = now }, current.ETag, cancellationToken,
                    new ArticleChange(DeskActor.System, "published", "Its scheduled time came."));
                promoted++;
            }
            catch (PreconditionFailedException)
            {
                // Someone changed it meanwhile; the next pass looks again.
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One article must not hold up the others; readers see it at its time anyway.
                PublishingLog.PromotionFailed(log, teaser.Id, e);
            }
        }
        return promoted;
    }

    /// <summary>
    /// Public articles whose expiry has come become expired, on record (by the system): their listing rows, pages
    /// and search entry go, the edge is purged and the homepage rebuilt. Readers stop seeing them at the time
    /// anyway; this takes them out of storage's listings so nothing reads past them. Reads only the expiring list.
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var id in await desk.ExpiringByAsync(now, 1000, cancellationToken))
        {
            try
            {
                if (await store.GetAsync(id, cancellationToken) is not { } current
                    || current.Article.Status is not (ArticleStatus.Published or ArticleStatus.Scheduled) || !current.Article.IsExpiredAt(now))
                {
                    // The row outlived a change whose indexing was cut short: re-indexing removes it.
                    await indexer.ReindexAsync(id, cancellationToken);
                    continue;
                }
                await writer.UpdateAsync(current.Article, current.Article with { Status = ArticleStatus.Expired, UpdatedAt = now }, current.ETag, cancellationToken,
                    new ArticleChange(DeskActor.System, "expired", $"Its expiry time came ({current.Article.ExpireAt!.Value.Display()})."));
                readerCache.Invalidate([.. ReaderTags.For(current.Article, await taxonomy.GetAsync(cancellationToken))]); // its slugs and the listings it was in
                await rebuilds.RequestAsync("expired", id, null, cancellationToken);
                expired++;
            }
            catch (PreconditionFailedException)
            {
                // Someone changed it meanwhile; the next pass looks again.
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One article must not hold up the others; readers stop seeing it at its time anyway.
                PublishingLog.ExpiryFailed(log, id, e);
            }
        }
        return expired;
    }

    private Task<DeskResult> TransitionAsync(DeskUser user, string id, string? ifMatch, DeskAction action, string done, string? note,
        Func<Article, Article> change, CancellationToken cancellationToken, bool rebuild = false) => WriteAsync(async token =>
    {
        var current = await LoadForWriteAsync(id, ifMatch, ifMatchFor: null, token);
        DeskWorkflow.Check(action, current.Article, user, time.GetUtcNow());
        var next = change(current.Article) with { UpdatedAt = time.GetUtcNow() };
        var stored = await writer.UpdateAsync(current.Article, next, current.ETag, token, new ArticleChange(user.Actor, done, note));
        if (rebuild)
        {
            await rebuilds.RequestAsync(done, id, null, token);
        }
        return (current.Article, stored);
    }, cancellationToken);

    private TimeSpan WriteDeadline => TimeSpan.FromSeconds(storage.Value.WriteDeadlineSeconds);

    private Task<T> ReadAsync<T>(DeskUser user, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        user.Require(DeskRole.Reporter, "use the desk");
        return StorageDeadline.RunAsync(WriteDeadline, read, cancellationToken);
    }

    /// <summary>
    /// Runs a write within the write deadline; then drops what this instance's readers had cached of the
    /// article before and after it, so the editor who acted (and anyone on this instance) sees the result at once.
    /// Once the article is stored nothing fails the request: indexing and the homepage rebuild are finished by
    /// the outbox and the timer if storage falters now.
    /// </summary>
    private async Task<DeskResult> WriteAsync(Func<CancellationToken, Task<(Article? Before, StoredArticle After)>> write, CancellationToken cancellationToken)
    {
        var (before, after) = await StorageDeadline.RunAsync(WriteDeadline, write, cancellationToken);
        // Saved: what follows is outside the write's deadline, so a slow moment now cannot make the answer
        // "nothing was changed" (the taxonomy is in memory: the write has just read it).
        var names = await taxonomy.GetAsync(cancellationToken);
        readerCache.Invalidate([.. (before is null ? [] : ReaderTags.For(before, names)).Concat(ReaderTags.For(after.Article, names))]);
        return await RenderAsync(after, cancellationToken);
    }

    private async Task<StoredArticle> LoadAsync(string id, CancellationToken cancellationToken) =>
        (IsId(id) ? await store.GetAsync(id, cancellationToken) : null)
        ?? throw new NotFoundException($"No article has the id '{id}'.");

    /// <summary>
    /// The article a write starts from: 404 if there is none, 412 if <paramref name="ifMatch"/> is not its ETag, and 428
    /// without one when <paramref name="ifMatchFor"/> names a write that requires it ("Replacing an article").
    /// </summary>
    internal async Task<StoredArticle> LoadForWriteAsync(string id, string? ifMatch, string? ifMatchFor, CancellationToken cancellationToken)
    {
        if (ifMatchFor is not null && string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException(
                $"{ifMatchFor} needs an If-Match header with the ETag from your last GET /api/articles/{id}/draft, so that you do not overwrite someone else's edit.");
        }
        var current = await LoadAsync(id, cancellationToken);
        if (ifMatch is not null && ifMatch != "*" && ArticleETag.ToStore(ifMatch) != current.ETag)
        {
            throw ArticleStore.Stale(id, ifMatch);
        }
        return current;
    }

    private async Task<DeskResult> RenderAsync(StoredArticle stored, CancellationToken cancellationToken)
    {
        var view = DeskArticleView.From(stored.Article, await taxonomy.GetAsync(cancellationToken), time.GetUtcNow());
        return new DeskResult(view, JsonPayload.From(view), ArticleETag.ToHttp(stored.ETag));
    }

    private static ArticleStatus ParseState(string? state)
    {
        var names = Enum.GetValues<ArticleStatus>().ToDictionary(DeskIndex.Name, s => s, StringComparer.Ordinal);
        return string.IsNullOrEmpty(state)
            ? ArticleStatus.Submitted
            : names.TryGetValue(state, out var status)
                ? status
                : throw new BadRequestException($"state must be one of {string.Join(", ", names.Keys)}; got '{state}'.");
    }

    private static string? Note(string? note)
    {
        var trimmed = note?.Trim();
        if (trimmed is { Length: > MaxNote })
        {
            throw new ValidationException($"A note is at most {MaxNote} characters.") { Errors = new Dictionary<string, string[]> { ["note"] = [$"At most {MaxNote} characters."] } };
        }
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static Article Apply(Article article, ArticleInput input, ArticleRefs refs, DateTimeOffset now) => article with
    {
        Title = input.Title!.Trim(),
        Summary = input.Summary?.Trim() ?? "",
        Blocks = [.. (input.Blocks ?? []).Select(b => b is ImageBlock image ? image.Bare() : b)],
        Authors = input.Authors ?? [],
        Category = refs.CategoryKey,
        Events = refs.EventKeys,
        Columns = refs.ColumnKeys,
        Tags = [.. (input.Tags ?? []).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)],
        LeadPhoto = input.LeadPhoto?.Bare(),
        Job = input.Job is { Organisation: { } organisation, Deadline: { } deadline } ? new JobNotice(organisation.Trim(), deadline) : null,
        ExpireAt = input.ExpireAt ?? input.Job?.Deadline,
        Legal = refs.Legal is { } legal ? legal with { Attachment = article.Legal?.Attachment } : null, // its PDF stays until detached
        UpdatedAt = now,
    };

    /// <summary>Time-ordered, URL-safe, unguessable: "a" + 12 hex digits of milliseconds + 10 random hex digits.</summary>
    private static string NewId(DateTimeOffset now) =>
        "a" + now.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));

    /// <summary>Whether <paramref name="id"/> can be an article id (anything else is looked up nowhere).</summary>
    public static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

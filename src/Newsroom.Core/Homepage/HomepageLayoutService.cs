using Newsroom.Articles;

namespace Newsroom.Homepage;

/// <summary>Editors pin and order top stories and featured videos, and keep the links box; a change asks for a rebuild.</summary>
public sealed class HomepageLayoutService(
    HomepageStore store,
    ArticleStore articles,
    HomepageRebuildQueue rebuilds,
    Microsoft.Extensions.Options.IOptions<HomepageOptions> options,
    Microsoft.Extensions.Options.IOptions<Newsroom.Storage.StorageOptions> storage)
{
    private TimeSpan Deadline => TimeSpan.FromSeconds(storage.Value.WriteDeadlineSeconds);

    public Task<(HomepageLayout Layout, string ETag)> GetAsync(Identity.DeskUser user, CancellationToken cancellationToken)
    {
        user.Require(Identity.DeskRole.Reporter, "see the homepage layout");
        return Newsroom.Storage.StorageDeadline.RunAsync(Deadline, store.GetLayoutAsync, cancellationToken);
    }

    public Task<(HomepageLayout Layout, string ETag)> SaveAsync(Identity.DeskUser user, HomepageLayout? layout, string? ifMatch, CancellationToken cancellationToken)
    {
        user.Require(Identity.DeskRole.Publisher, "pin the homepage");
        return Newsroom.Storage.StorageDeadline.RunAsync(Deadline, token => SaveWithinDeadlineAsync(layout, ifMatch, token), cancellationToken);
    }

    private async Task<(HomepageLayout Layout, string ETag)> SaveWithinDeadlineAsync(HomepageLayout? layout, string? ifMatch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException("Changing the homepage layout needs an If-Match header with the ETag from GET /api/homepage/layout.");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var top = layout?.TopStories ?? [];
        var videos = layout?.FeaturedVideos ?? [];
        var max = options.Value.MaxPinned;
        if (top.Count > max)
        {
            errors["topStories"] = [$"At most {max} pinned top stories; got {top.Count}."];
        }
        if (videos.Count > max)
        {
            errors["featuredVideos"] = [$"At most {max} featured videos; got {videos.Count}."];
        }
        foreach (var (field, ids, needsVideo) in new[] { ("topStories", top, false), ("featuredVideos", videos, true) })
        {
            for (var i = 0; i < ids.Count && i < max; i++)
            {
                var stored = string.IsNullOrEmpty(ids[i]) || ids[i].Length > 64 ? null : await articles.GetAsync(ids[i], cancellationToken);
                if (stored is null)
                {
                    errors[$"{field}[{i}]"] = [$"There is no article with id '{ids[i]}'."];
                }
                else if (needsVideo && !stored.Article.Blocks.Any(b => b is VideoBlock))
                {
                    errors[$"{field}[{i}]"] = [$"Article '{ids[i]}' has no video block, so it cannot be a featured video."];
                }
            }
            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            {
                errors[field] = [.. errors.GetValueOrDefault(field, []), "An article is pinned twice."];
            }
        }
        var links = CheckLinks(layout?.Links ?? [], errors);
        if (errors.Count > 0)
        {
            throw new ValidationException("The homepage layout has problems; see errors for each field.") { Errors = errors };
        }
        var saved = new HomepageLayout(top, videos) { Links = links };
        var etag = await store.SaveLayoutAsync(saved, ifMatch, cancellationToken);
        await rebuilds.RequestAsync("layout", null, null, cancellationToken);
        return (saved, etag);
    }

    public const int MaxLinks = 50;
    public const int MaxLinkTitle = 120;
    public const int MaxLinkUrl = 2000;

    /// <summary>Each link a title and an absolute https URL with a host and no credentials; trimmed, in order.</summary>
    private static List<HomepageLink> CheckLinks(IReadOnlyList<HomepageLink?> links, Dictionary<string, string[]> errors)
    {
        if (links.Count > MaxLinks)
        {
            errors["links"] = [$"At most {MaxLinks} links; got {links.Count}."];
        }
        var checkedLinks = new List<HomepageLink>();
        for (var i = 0; i < links.Count && i < MaxLinks; i++)
        {
            var title = links[i]?.Title?.Trim();
            var url = links[i]?.Url?.Trim();
            if (string.IsNullOrEmpty(title) || title.Length > MaxLinkTitle || title.Any(char.IsControl))
            {
                errors[$"links[{i}].title"] = [$"Required: the name shown for the link, at most {MaxLinkTitle} characters, no control characters."];
            }
            if (string.IsNullOrEmpty(url) || url.Length > MaxLinkUrl
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0 || uri.UserInfo.Length > 0)
            {
                errors[$"links[{i}].url"] = [$"An absolute https:// address with a host and no user name or password (at most {MaxLinkUrl} characters); got '{url}'."];
            }
            else if (title is { Length: > 0 })
            {
                checkedLinks.Add(new HomepageLink(title, url));
            }
        }
        if (checkedLinks.DistinctBy(l => l.Url, StringComparer.OrdinalIgnoreCase).Count() != checkedLinks.Count)
        {
            errors["links"] = [.. errors.GetValueOrDefault("links", []), "A link is listed twice."];
        }
        return checkedLinks;
    }
}

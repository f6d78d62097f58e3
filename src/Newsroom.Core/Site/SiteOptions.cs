using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Newsroom.Site;

/// <summary>
/// The reader-facing site, a separate front end: where its pages are, so that feeds, sitemaps and the
/// article's structured data link to them (not to this API). Paths take {slug}, {id} and, for articles,
/// {category} (the section's public slug).
/// </summary>
public sealed class SiteOptions
{
    public const string SectionName = "Site";

    /// <summary>Local fallback (a front end's development server); on Azure Site:BaseUrl must be set.</summary>
    public static readonly Uri LocalBaseUrl = new("http://localhost:3000/");

    public Uri? BaseUrl { get; set; }

    [Required, MinLength(1)] public string Name { get; set; } = "Newsroom";

    /// <summary>The site's language (BCP 47), for feeds and the news sitemap.</summary>
    [Required, RegularExpression("^[a-z]{2,3}(-[A-Za-z]{2,4})?$")] public string Language { get; set; } = "vi";

    [Required] public string ArticlePath { get; set; } = "/{category}/{slug}";

    [Required] public string CategoryPath { get; set; } = "/{slug}";

    [Required] public string EventPath { get; set; } = "/su-kien/{slug}";

    /// <summary>The publisher's logo (schema.org NewsArticle publisher.logo); optional.</summary>
    public Uri? LogoUrl { get; set; }

    /// <summary>Where readers (and crawlers) reach this API, through the edge: the sitemap index links its sitemaps there. Default: {BaseUrl}/api.</summary>
    public Uri? ApiBaseUrl { get; set; }

    public Uri Base => BaseUrl ?? LocalBaseUrl;
}

/// <summary>Checks what data annotations cannot: absolute URLs, paths that name the item, and a base URL on Azure.</summary>
public sealed class SiteOptionsValidation(IConfiguration configuration) : IValidateOptions<SiteOptions>
{
    public ValidateOptionsResult Validate(string? name, SiteOptions options)
    {
        var errors = new List<string>();
        if (options.BaseUrl is null && AzureEnvironment.IsAzure(configuration))
        {
            errors.Add("Site:BaseUrl must be set on Azure: the reader-facing site's address (https://baothainguyen.vn), which feeds and sitemaps link to.");
        }
        if (options.BaseUrl is { } baseUrl && (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("https" or "http") || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0))
        {
            errors.Add($"Site:BaseUrl '{baseUrl}' must be an absolute http(s) URL without query or fragment.");
        }
        foreach (var (setting, path, needs) in new[]
        {
            ("ArticlePath", options.ArticlePath, new[] { "{slug}", "{id}" }),
            ("CategoryPath", options.CategoryPath, new[] { "{slug}" }),
            ("EventPath", options.EventPath, new[] { "{slug}" }),
        })
        {
            if (!path.StartsWith('/') || !needs.Any(n => path.Contains(n, StringComparison.Ordinal)))
            {
                errors.Add($"Site:{setting} '{path}' must start with '/' and contain {string.Join(" or ", needs)}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The reader-facing site's URLs.</summary>
public sealed class SiteUrls(IOptions<SiteOptions> options)
{
    private SiteOptions O => options.Value;

    public string Name => O.Name;

    public string Language => O.Language;

    public Uri Home => O.Base;

    public Uri? Logo => O.LogoUrl;

    public Uri Article(string slug, string id, string categorySlug) =>
        At(O.ArticlePath.Replace("{slug}", Escape(slug), StringComparison.Ordinal)
            .Replace("{id}", Escape(id), StringComparison.Ordinal)
            .Replace("{category}", Escape(categorySlug), StringComparison.Ordinal));

    public Uri Category(string slug) => At(O.CategoryPath.Replace("{slug}", Escape(slug), StringComparison.Ordinal));

    public Uri Event(string slug) => At(O.EventPath.Replace("{slug}", Escape(slug), StringComparison.Ordinal));

    /// <summary>A path of this API as the public reaches it ("sitemaps/news" → https://…/api/sitemaps/news).</summary>
    public Uri Api(string path) => O.ApiBaseUrl is { } api
        ? new Uri(api, api.AbsolutePath.TrimEnd('/') + "/" + path)
        : At("/api/" + path);

    private Uri At(string path) => new(O.Base, O.Base.AbsolutePath.TrimEnd('/') + path);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

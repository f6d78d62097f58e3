using System.ComponentModel.DataAnnotations;

namespace Newsroom.Search;

/// <summary>
/// Which search engine: "lucene" (default) in the process, for the local host, the tests and one-instance
/// deployments (Search:LucenePath for an index on disk, in memory otherwise), or "azure", Azure AI Search,
/// the managed engine every instance shares (Search:Endpoint, Search:IndexName, Search:ClientId of the managed
/// identity; the service takes no keys).
/// </summary>
public sealed class SearchEngineOptions : IValidatableObject
{
    public const string SectionName = "Search";

    [RegularExpression("^(lucene|azure)$", ErrorMessage = "Search:Engine must be lucene or azure.")]
    public string Engine { get; set; } = "lucene";

    public string? LucenePath { get; set; }

    /// <summary>Memory, in MiB, for the bits and block bounds of frequent terms that the in-process engine keeps between searches.</summary>
    [Range(0, 4096, ErrorMessage = "Search:LuceneTermCacheMB must be between 0 and 4096.")]
    public int LuceneTermCacheMB { get; set; } = (int)(LuceneSearchEngine.DefaultTermCacheBytes >> 20);

    /// <summary>How many searches the in-process engine runs at once, the rest waiting their turn; 0 (default) for one per core.</summary>
    [Range(0, 256, ErrorMessage = "Search:LuceneConcurrentSearches must be between 0 (one per core) and 256.")]
    public int LuceneConcurrentSearches { get; set; }

    public Uri? Endpoint { get; set; }

    [RegularExpression("^[a-z0-9][a-z0-9-]{1,127}$", ErrorMessage = "Search:IndexName must be lower-case letters, digits and dashes.")]
    public string IndexName { get; set; } = "articles-v1";

    public string? ClientId { get; set; }

    public bool InProcess => Engine == "lucene";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Engine == "azure" && Endpoint is not { IsAbsoluteUri: true, Scheme: "https" })
        {
            yield return new ValidationResult("Search:Engine=azure needs Search:Endpoint, the https URL of the Azure AI Search service.", [nameof(Endpoint)]);
        }
    }
}

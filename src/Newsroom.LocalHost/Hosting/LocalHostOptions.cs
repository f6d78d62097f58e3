using System.ComponentModel.DataAnnotations;

namespace Newsroom.LocalHost.Hosting;

public sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    /// <summary>The key functions with AuthorizationLevel.Function want (x-functions-key or ?code=).</summary>
    [Required, MinLength(8)]
    public string FunctionKey { get; set; } = "local-dev-key";

    /// <summary>Seed the demo newspaper on first start.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>How many demo articles to seed (the hand-written ones first, then generated ones for load tests).</summary>
    [Range(0, 200_000)]
    public int DemoArticles { get; set; } = 36;

    /// <summary>Where Azurite keeps its data when the local host starts it (relative to the repo root).</summary>
    public string AzuriteLocation { get; set; } = ".azurite";

    /// <summary>Keep Azurite's data in memory only (tests, benchmarks).</summary>
    public bool AzuriteInMemory { get; set; }

    /// <summary>Run the timer and queue triggers (off in tests that drive them by hand).</summary>
    public bool RunBackgroundTriggers { get; set; } = true;

    /// <summary>Origins of editors' front ends allowed to call the API from a browser (CORS).</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>The Functions app's build output to run; by default the one this local host was built with.</summary>
    public string? FunctionsAppDirectory { get; set; }
}

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// The Functions app's app settings, as Core Tools takes them from local.settings.json: everything in the
/// local host's configuration (appsettings.json, the command line, the environment, a test's settings) that
/// is not about hosting itself, given to the worker as environment variables named Section__Key, the way
/// Azure hands app settings to a function app.
/// </summary>
public static class AppSettings
{
    // Settings of the local host itself, or of a web server: the worker must not take them for its own.
    private static readonly string[] HostOnly = ["LocalHost", "urls", "http_ports", "https_ports", "Kestrel", "AllowedHosts",
        "contentRoot", "applicationName", "environment", "ASPNETCORE_", "DOTNET_"];

    public static IReadOnlyDictionary<string, string> For(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(s => s.Value is not null && !HostOnly.Any(h => s.Key.Equals(h, StringComparison.OrdinalIgnoreCase)
                || s.Key.StartsWith(h + ":", StringComparison.OrdinalIgnoreCase) || (h.EndsWith('_') && s.Key.StartsWith(h, StringComparison.OrdinalIgnoreCase))))
            .GroupBy(s => s.Key.Replace(":", "__", StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value!, StringComparer.OrdinalIgnoreCase);
}

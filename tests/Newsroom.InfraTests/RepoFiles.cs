using System.Text.Json;
using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>Files of the repository the tests hold the template to: infra/*.json, the README.</summary>
internal static class RepoFiles
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static string Root { get; } = FindRoot();

    public static string InfraFile(string name) => Existing(Path.Combine(Root, "infra", name));

    public static string Readme => File.ReadAllText(Existing(Path.Combine(Root, "README.md")));

    public static JsonNode InfraJson(string name) => JsonNode.Parse(File.ReadAllText(InfraFile(name)))!;

    /// <summary>main.parameters.json: what azd passes to each parameter of main.bicep.</summary>
    public static string AzdValue(string parameter) => (string)InfraJson("main.parameters.json")["parameters"]![parameter]!["value"]!;

    /// <summary>telemetry-names.json: the custom metric names the code records and the alerts query.</summary>
    public static IReadOnlyDictionary<string, string> MetricNames =>
        InfraJson("telemetry-names.json")["metrics"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException(path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")) && Directory.Exists(Path.Combine(dir.FullName, "infra")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("the repository root (Functions.sln next to infra/)");
    }
}

using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>The ARM JSON that bicep built from infra/main.bicep, flattened: every resource of every nested module.</summary>
internal static class CompiledTemplate
{
    public static readonly JsonObject Root = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "main.json")))!;

    public static IReadOnlyList<JsonObject> Resources { get; } = [.. Collect(Root)];

    public static IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public static JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>Every string anywhere in the template (literals, expressions, inlined JSON files).</summary>
    public static IReadOnlyList<string> Strings { get; } = [.. AllStrings(Root)];

    private static IEnumerable<JsonObject> Collect(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Collect(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<string> AllStrings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => AllStrings(p.Value).Append(p.Key)),
        JsonArray a => a.SelectMany(AllStrings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Newsroom.InfraTests;

/// <summary>
/// The ARM JSON that bicep built from infra/main.bicep, flattened: every resource of every nested module that
/// the deployment makes (references to existing resources are left out), each one knowing the template it
/// came from so that its variables can be read.
/// </summary>
internal static partial class CompiledTemplate
{
    public static readonly JsonObject Root = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "main.json")))!;

    private static readonly Dictionary<JsonObject, JsonObject> TemplateOfResource = new(ReferenceEqualityComparer.Instance);

    private static readonly Dictionary<JsonObject, string> SymbolOfResource = new(ReferenceEqualityComparer.Instance);

    public static IReadOnlyList<JsonObject> Resources { get; } = [.. Collect(Root)];

    public static IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public static JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>Every string anywhere in the template (literals, expressions, inlined JSON files).</summary>
    public static IReadOnlyList<string> Strings { get; } = [.. AllStrings(Root)];

    /// <summary>The nested deployment main.bicep declares as <c>module {symbolicName} '...'</c>.</summary>
    public static JsonObject Module(string symbolicName) =>
        Assert.Single(OfType("Microsoft.Resources/deployments"), d => ((string)d["name"]!).StartsWith($"[format('{symbolicName}-", StringComparison.Ordinal));

    public static JsonObject ModuleTemplate(string symbolicName) => (JsonObject)Module(symbolicName)["properties"]!["template"]!;

    /// <summary>The resources a module makes itself (not those of modules it calls).</summary>
    public static IReadOnlyList<JsonObject> ModuleResources(string symbolicName)
    {
        var template = ModuleTemplate(symbolicName);
        return [.. Resources.Where(r => ReferenceEquals(TemplateOfResource[r], template))];
    }

    /// <summary>The resource a module declares under this symbolic name (its Bicep identifier).</summary>
    public static JsonObject ModuleResource(string module, string symbolicName) =>
        Assert.Single(ModuleResources(module), r => SymbolOfResource.TryGetValue(r, out var symbol) && symbol == symbolicName);

    public static IEnumerable<JsonObject> ModuleResources(string symbolicName, string type) =>
        ModuleResources(symbolicName).Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>What main.bicep passes to a module's parameter, as ARM JSON text (an expression or a literal).</summary>
    public static string ModuleParameter(string symbolicName, string parameter)
    {
        var value = Module(symbolicName)["properties"]!["parameters"]![parameter]!["value"];
        return value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null";
    }

    /// <summary>A template's own parameter declaration (type, defaultValue, allowedValues, minValue ...).</summary>
    public static JsonObject Parameter(JsonObject template, string name) => (JsonObject)template["parameters"]![name]!;

    /// <summary>
    /// A property of a resource with a whole-value variable reference ("[variables('x')]") replaced by the
    /// variable, as it is declared in the resource's own template.
    /// </summary>
    public static JsonNode? Resolve(JsonObject resource, JsonNode? node)
    {
        for (var depth = 0; depth < 5 && node is JsonValue value && value.TryGetValue<string>(out var text); depth++)
        {
            var match = WholeVariable().Match(text);
            if (!match.Success)
            {
                break;
            }
            node = TemplateOfResource[resource]["variables"]?[match.Groups[1].Value];
        }
        return node;
    }

    /// <summary>An expression with each reference to a string variable replaced by the variable's text.</summary>
    public static string Expand(JsonObject resource, string expression) =>
        AnyVariable().Replace(expression, m => TemplateOfResource[resource]["variables"]?[m.Groups[1].Value] is JsonValue v
            && v.TryGetValue<string>(out var s) && !s.StartsWith('[') ? $"'{s}'" : m.Value);

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex WholeVariable();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex AnyVariable();

    private static IEnumerable<JsonObject> Collect(JsonObject template)
    {
        IEnumerable<(string? Symbol, JsonObject Resource)> resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>().Select(r => ((string?)null, r)),
            JsonObject symbolic => symbolic.Where(p => p.Value is JsonObject).Select(p => ((string?)p.Key, (JsonObject)p.Value!)),
            _ => [],
        };
        foreach (var (symbol, resource) in resources.Where(r => r.Resource["existing"] is not JsonValue e || !e.GetValue<bool>()))
        {
            TemplateOfResource[resource] = template;
            if (symbol is not null)
            {
                SymbolOfResource[resource] = symbol;
            }
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

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newsroom.LocalHost.Hosting;

/// <summary>One entry of functions.metadata, as the Worker SDK writes it at build.</summary>
public sealed record FunctionMetadata(
    string Name,
    string ScriptFile,
    string EntryPoint,
    IReadOnlyList<BindingMetadata> Bindings)
{
    public BindingMetadata Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    /// <summary>The function class's method the entry point names, in the already loaded Functions assembly.</summary>
    public MethodInfo ResolveMethod()
    {
        var split = EntryPoint.LastIndexOf('.');
        var typeName = EntryPoint[..split];
        var assemblyName = Path.GetFileNameWithoutExtension(ScriptFile);
        var type = Type.GetType($"{typeName}, {assemblyName}", throwOnError: false)
            ?? throw new InvalidOperationException($"Function {Name}: type {typeName} not found in {assemblyName}.");
        return type.GetMethod(EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new InvalidOperationException($"Function {Name}: method {EntryPoint} not found.");
    }

    public static IReadOnlyList<FunctionMetadata> Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<FunctionMetadata>>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>functions.metadata beside the local host (copied there at build).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "functions.metadata");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>A binding: the trigger's own settings are the extra members (route, schedule, queueName…).</summary>
public sealed record BindingMetadata(string Name, string Type, string Direction)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];

    public string? Get(string key) =>
        Extra.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v
            ? v.GetString()
            : Extra.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.True } ? "true" : null;

    public IReadOnlyList<string> GetList(string key) =>
        Extra.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.Array } v
            ? [.. v.EnumerateArray().Select(e => e.GetString()!)]
            : [];
}

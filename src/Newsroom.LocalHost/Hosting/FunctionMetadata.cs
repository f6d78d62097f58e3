using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newsroom.LocalHost.Hosting;

/// <summary>
/// A function as the Functions host knows it: an entry of functions.metadata (what the Worker SDK writes at
/// build), or what the worker reported when it indexed itself (the same shape, with the worker's id for it).
/// </summary>
public sealed record FunctionMetadata(
    string Name,
    string ScriptFile,
    string EntryPoint,
    IReadOnlyList<BindingMetadata> Bindings)
{
    /// <summary>The id the worker gave the function (invocations name it); empty for functions.metadata entries.</summary>
    public string FunctionId { get; init; } = "";

    /// <summary>From the worker's FunctionMetadataResponse: its raw bindings are functions.metadata's binding objects.</summary>
    internal static FunctionMetadata From(Worker.Rpc.RpcFunctionMetadata rpc) =>
        new(rpc.Name, rpc.ScriptFile, rpc.EntryPoint,
            [.. rpc.RawBindings.Select(b => JsonSerializer.Deserialize<BindingMetadata>(b, JsonOptions)
                ?? throw new InvalidDataException($"Function {rpc.Name} has an empty binding."))])
        {
            FunctionId = rpc.FunctionId,
        };

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

    /// <summary>A value of the binding's "properties" object (e.g. supportsDeferredBinding).</summary>
    public string? Properties(string key) =>
        Extra.FirstOrDefault(p => string.Equals(p.Key, "properties", StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.Object } properties
        && properties.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value
            ? value.GetString()
            : null;

    public IReadOnlyList<string> GetList(string key) =>
        Extra.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.Array } v
            ? [.. v.EnumerateArray().Select(e => e.GetString()!)]
            : [];
}

namespace Newsroom.LocalHost.Hosting;

/// <summary>Binding values written "%Name%" stand for the app setting Name, as the Functions host resolves them.</summary>
public static class AppSettingReference
{
    /// <summary>The setting a "%Name%" value names, or the value itself; fails at start when the setting is missing.</summary>
    public static string Resolve(string value, IConfiguration configuration, string what)
    {
        if (value.Length <= 2 || value[0] != '%' || value[^1] != '%')
        {
            return value;
        }
        var name = value[1..^1];
        return configuration[name]
            ?? throw new InvalidOperationException($"{what} {value} names the app setting '{name}', which is not set.");
    }
}

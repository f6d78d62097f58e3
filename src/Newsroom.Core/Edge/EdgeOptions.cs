using System.ComponentModel.DataAnnotations;

namespace Newsroom.Edge;

/// <summary>
/// The edge in front of the API (Azure Front Door). In Azure the template sets Edge:EndpointResourceId (the
/// Front Door endpoint whose cache is purged) and Edge:ClientId (the managed identity allowed to purge it);
/// with no endpoint, as locally, a purge is only logged.
/// </summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Edge";

    /// <summary>/subscriptions/…/resourceGroups/…/providers/Microsoft.Cdn/profiles/…/afdEndpoints/….</summary>
    [RegularExpression(@"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Cdn/profiles/[^/]+/afdEndpoints/[^/]+$",
        ErrorMessage = "Edge:EndpointResourceId must be the resource id of a Front Door endpoint: /subscriptions/{{id}}/resourceGroups/{{group}}/providers/Microsoft.Cdn/profiles/{{profile}}/afdEndpoints/{{endpoint}}.")]
    public string? EndpointResourceId { get; set; }

    /// <summary>Client id of the user-assigned managed identity that holds the purge role on the profile.</summary>
    public string? ClientId { get; set; }

    /// <summary>The domains to purge (the endpoint's host name and the custom domain); empty: every domain of the endpoint.</summary>
    public string[] Domains { get; set; } = [];

    /// <summary>Azure Resource Manager (another cloud has another one).</summary>
    public Uri ManagementEndpoint { get; set; } = new("https://management.azure.com/");

    public string ApiVersion { get; set; } = "2024-09-01";

    public bool Enabled => !string.IsNullOrEmpty(EndpointResourceId);
}

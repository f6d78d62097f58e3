namespace Newsroom.Identity;

/// <summary>
/// The newsroom's app roles, as the Entra ID app registration defines them (infra/entra/app-roles.json):
/// a reporter ("phóng viên") writes, an editor ("biên tập viên") reviews, a publisher (the editor-in-chief or
/// the desk secretary) decides what goes out and when; an admin manages sections and events.
/// </summary>
public enum DeskRole
{
    Reporter,
    Editor,
    Publisher,
    Admin,
}

/// <summary>Who did something, as history records it: the Entra object id and the display name.</summary>
public sealed record DeskActor(string Id, string Name)
{
    /// <summary>Work the system does on its own (the demo seeder, a repair).</summary>
    public static readonly DeskActor System = new("system", "Hệ thống");
}

/// <summary>A signed-in member of the newsroom, from a validated access token.</summary>
public sealed record DeskUser(string Id, string Name, IReadOnlySet<DeskRole> Roles)
{
    public DeskActor Actor => new(Id, Name);

    /// <summary>Reporter, Editor and Publisher are ranks: each can do what the one before it can.</summary>
    public bool IsAtLeast(DeskRole role) => role == DeskRole.Admin
        ? Roles.Contains(DeskRole.Admin)
        : Roles.Any(r => r != DeskRole.Admin && r >= role);

    /// <summary>Refuses with 403, naming the role needed, unless the user has it (or a higher rank).</summary>
    public DeskUser Require(DeskRole role, string toDo) => IsAtLeast(role)
        ? this
        : throw new ForbiddenException(
            $"To {toDo} you need the {role} role; you have {(Roles.Count == 0 ? "no newsroom role" : string.Join(", ", Roles.Order()))}. Ask an administrator of the app registration to assign it.")
        {
            Members = new Dictionary<string, object?> { ["requiredRole"] = role.ToString() },
        };
}

namespace AuthServer.Core.Identity;

/// <summary>
/// A robot signs in as <c>owner+name</c>: <c>devs+ci</c> for a robot of group devs, <c>alice+backup</c>
/// for one of user alice, <c>robot+deployer</c> for a system-wide one. User and group names cannot
/// hold <c>+</c>, so a login name with one is always a robot and never a person; <c>+</c> needs no
/// shell quoting (Harbor's <c>robot$name</c> does) and is allowed in Basic user names (<c>:</c> is not).
/// </summary>
public static class RobotNames
{
    public const char Separator = '+';
    public const string SystemOwner = "robot";

    public static bool IsRobotLogin(string login) => login.Contains(Separator);

    public static string Compose(string? ownerName, string name) => $"{ownerName ?? SystemOwner}{Separator}{name.Trim()}";
}

using AuthServer.Core.Errors;
using AuthServer.Core.Identity;

namespace AuthServer.Core.Import;

/// <summary>
/// An Apache htpasswd file, as the registry's htpasswd auth reads it: <c>name:hash</c> a line,
/// blank lines and lines starting with <c>#</c> ignored. Only bcrypt (<c>htpasswd -B</c>) can be
/// verified here; other schemes are reported and left out.
/// </summary>
public static class HtpasswdFile
{
    public static ImportPlan Plan(string text, string? group)
    {
        if (group is not null && Names.Problem(group, "group") is { } groupProblem) throw new ValidationFailedException("group", groupProblem);
        var users = new List<ImportedUser>();
        var findings = new List<ImportFinding>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Refused, $"line {number}: not name:hash"));
                continue;
            }
            var name = line[..colon];
            var hash = line[(colon + 1)..];
            if (Names.Problem(name, "user") is { } problem)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Refused, $"line {number}: {problem}"));
                continue;
            }
            if (seen.TryGetValue(Names.Normalize(name), out var first))
            {
                findings.Add(ImportFinding.Of(ImportFinding.Refused, $"line {number}: user {name} is already on line {first} (names are compared without case here)"));
                continue;
            }
            seen[Names.Normalize(name)] = number;
            if (PasswordHashFormat.FromStandardBcrypt(hash) is not { } stored)
            {
                findings.Add(ImportFinding.Of(ImportFinding.Skipped,
                    $"user {name}: {PasswordHashFormat.Describe(hash)} hash; only bcrypt (htpasswd -B) can be imported, so set a password with 'authserver user add {name}'"));
                continue;
            }
            users.Add(new ImportedUser(name, stored, group is null ? [] : [group]));
        }
        return new ImportPlan("htpasswd", users, group is null ? [] : [group], [], findings);
    }
}

using System.Text.RegularExpressions;

namespace AuthServer.Core.Identity;

/// <summary>Rules for user and group names.</summary>
public static partial class Names
{
    public const int MaxLength = 64;

    /// <summary>Names are compared without regard to case; this is the stored, compared form.</summary>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    /// <summary>
    /// Letters, digits and <c>. _ - @</c>, starting with a letter or digit. No colon: Basic
    /// credentials split at the first colon, so a name holding one could never sign in.
    /// </summary>
    public static string? Problem(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name)) return $"{what} name is required";
        if (name.Length > MaxLength) return $"{what} name is longer than {MaxLength} characters";
        if (!NameRegex().IsMatch(name))
            return $"{what} name '{name}' may hold only letters, digits and . _ - @, and must start with a letter or digit";
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}

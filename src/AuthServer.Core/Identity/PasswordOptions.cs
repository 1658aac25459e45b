using System.ComponentModel.DataAnnotations;

namespace AuthServer.Core.Identity;

public sealed class PasswordOptions
{
    public const string Section = "AuthServer:Passwords";
    public const int MaximumLength = 1024;

    /// <summary>bcrypt cost: each step doubles the work. 4 is bcrypt's minimum, 31 its maximum.</summary>
    [Range(4, 31)]
    public int WorkFactor { get; set; } = 11;

    [Range(1, 128)]
    public int MinimumLength { get; set; } = 8;
}

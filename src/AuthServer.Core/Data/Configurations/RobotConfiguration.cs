using AuthServer.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class RobotConfiguration : IEntityTypeConfiguration<Robot>
{
    public void Configure(EntityTypeBuilder<Robot> b)
    {
        b.ToTable("robots");
        b.Property(r => r.Name).HasMaxLength(64);
        b.Property(r => r.NormalizedName).HasMaxLength(64);
        b.HasIndex(r => r.NormalizedName).IsUnique();
        b.Property(r => r.OwnerKind).HasConversion<string>().HasMaxLength(8);
        b.Property(r => r.Description).HasMaxLength(500);
        b.Property(r => r.SecretHash).HasMaxLength(32);
        b.Property(r => r.ScopeLimits).HasMaxLength(4500);
        b.HasOne(r => r.OwnerUser).WithMany().HasForeignKey(r => r.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.OwnerGroup).WithMany().HasForeignKey(r => r.OwnerGroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

//! Entities as Symfony's maker writes them (attributes, relations, an index, getters and
//! setters), generated for the reading benchmark and for the readers' agreement test.

/// One entity class referencing the previous one, so every relation resolves.
pub fn entity(i: usize) -> String {
    let relation = if i == 0 {
        String::new()
    } else {
        format!(
            "    #[ORM\\ManyToOne(targetEntity: Entity{prev}::class)]\n    #[ORM\\JoinColumn(nullable: false, onDelete: 'CASCADE')]\n    private Entity{prev} $parent;\n\n    #[ORM\\ManyToMany(targetEntity: Entity{prev}::class)]\n    private $links;\n",
            prev = i - 1
        )
    };
    format!(
        r#"<?php

namespace App\Entity;

use Doctrine\DBAL\Types\Types;
use Doctrine\ORM\Mapping as ORM;

#[ORM\Entity]
#[ORM\Table(name: 'entity_{i}')]
#[ORM\Index(columns: ['name', 'created_at'])]
class Entity{i}
{{
    #[ORM\Id]
    #[ORM\GeneratedValue]
    #[ORM\Column]
    private ?int $id = null;

    #[ORM\Column(length: 120, unique: true)]
    private string $name;

    #[ORM\Column(type: Types::TEXT, nullable: true)]
    private ?string $description = null;

    #[ORM\Column(type: Types::DECIMAL, precision: 10, scale: 2, options: ['default' => '0.00'])]
    private string $price;

    #[ORM\Column(options: ['default' => true])]
    private bool $active = true;

    #[ORM\Column(name: 'created_at', type: Types::DATETIME_IMMUTABLE)]
    private \DateTimeImmutable $createdAt;

    #[ORM\Column(type: Types::JSON, nullable: true)]
    private ?array $data = null;

{relation}
{accessors}}}
"#,
        accessors = accessors(i),
    )
}

/// A getter and a fluent setter per field, as `make:entity` generates them.
fn accessors(i: usize) -> String {
    let mut fields = vec![
        ("id", "?int"),
        ("name", "string"),
        ("description", "?string"),
        ("price", "string"),
        ("active", "bool"),
        ("createdAt", "\\DateTimeImmutable"),
        ("data", "?array"),
    ];
    let parent = format!("Entity{}", i.saturating_sub(1));
    if i > 0 {
        fields.push(("parent", parent.as_str()));
    }
    fields
        .iter()
        .map(|(name, ty)| {
            let cap = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
            format!(
                "    public function get{cap}(): {ty}\n    {{\n        return $this->{name};\n    }}\n\n    public function set{cap}({ty} ${name}): static\n    {{\n        $this->{name} = ${name};\n\n        return $this;\n    }}\n\n"
            )
        })
        .collect()
}

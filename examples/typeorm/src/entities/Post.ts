import {
  Check,
  Column,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { Author } from "./Author";
import { Tag } from "./Tag";

export enum Status {
  Draft = "draft",
  Published = "published",
}

@Entity()
@Index(["author", "status"])
@Check(`"likes" >= 0`)
export class Post {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 160 })
  title: string;

  @Column({ type: "text", nullable: true })
  body: string;

  @Column({ type: "simple-enum", enum: Status, default: Status.Draft })
  status: Status;

  @Column({ default: 0 })
  likes: number;

  @ManyToOne(() => Author, (author) => author.posts, { onDelete: "CASCADE", nullable: false })
  author: Author;

  @ManyToMany(() => Tag)
  @JoinTable()
  tags: Tag[];

  @UpdateDateColumn()
  updatedAt: Date;
}

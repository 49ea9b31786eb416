/** The CI system we run in, if any, as the well-kept `ci-info` package detects it (Jenkins, GitLab, GitHub ...). */
import ciInfo from 'ci-info';

export interface CiEnvironment {
  isCI: boolean;
  /** e.g. "Jenkins", "GitLab CI", "GitHub Actions"; null when unknown or not CI. */
  name: string | null;
  /** ci-info's constant, e.g. "JENKINS", "GITLAB", "GITHUB_ACTIONS". */
  id: string | null;
  isPR: boolean | null;
}

export function detectedCi(): CiEnvironment {
  return { isCI: ciInfo.isCI, name: ciInfo.name, id: ciInfo.id, isPR: ciInfo.isPR };
}

/** The recommended Kubernetes labels of one component of a shipped app. */
export function appLabels(app: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/instance': component,
    'app.kubernetes.io/part-of': app,
  };
}

/** The labels a component's Service and Deployment select its pods by. */
export function selectorLabels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/instance': component };
}
